# Production image: the same code as the embedded mode, configured by environment variables.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 LIAISON_VAR_DIR=/app/var
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# collectstatic needs settings, not secrets: a throw-away key for this one build step.
RUN SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --no-input \
    && useradd --system --home /app liaison && mkdir -p /app/var/media && chown -R liaison /app/var
USER liaison
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
