#!/usr/bin/env bash
# Production-mode smoke test with the local services: the settings docker-compose.yml passes
# (PostgreSQL, Redis broker and cache, DEBUG off, collected static files), run with gunicorn,
# a Celery worker and beat; checks /healthz, a public page, a static file, then stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PGUSER=${PGUSER:-postgres}
export DATABASE_URL=${SMOKE_DATABASE_URL:-postgres://${PGUSER}@127.0.0.1:5432/liaison_smoke}
export CELERY_BROKER_URL=redis://127.0.0.1:6379/14 CACHE_URL=redis://127.0.0.1:6379/13
export SECRET_KEY=smoke-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz DEBUG=0
export ALLOWED_HOSTS=localhost LIAISON_VAR_DIR="$(mktemp -d)"
PORT=${SMOKE_PORT:-8765}
dropdb -h 127.0.0.1 -U "$PGUSER" --if-exists liaison_smoke 2>/dev/null
createdb -h 127.0.0.1 -U "$PGUSER" liaison_smoke
# Django's deployment checklist with the HTTPS settings a county deploys with.
HTTPS=1 ALLOWED_HOSTS=rd.example.gov.cn SECRET_KEY="$(head -c 48 /dev/urandom | base64)" \
  $BIN/python manage.py check --deploy --fail-level WARNING
$BIN/python manage.py migrate --no-input -v 0
$BIN/python manage.py collectstatic --no-input -v 0
$BIN/python manage.py seed_demo --without-lifecycle -v 0 >/dev/null
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; dropdb -h 127.0.0.1 -U "$PGUSER" --if-exists liaison_smoke; }
trap cleanup EXIT
$BIN/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers 2 --log-level warning & pids+=($!)
$BIN/celery -A config worker --loglevel=WARNING --concurrency=1 >/dev/null 2>&1 & pids+=($!)
$BIN/celery -A config beat --loglevel=WARNING --schedule "$LIAISON_VAR_DIR/beat" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 1 40); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
health=$(curl -fsS "http://127.0.0.1:$PORT/healthz")
echo "healthz: $health"
[ "$health" = '{"status": "ok", "database": "ok", "broker": "ok"}' ]
code=$($BIN/python manage.py shell -v 0 -c "from stations.models import Station; print(Station.objects.filter(kind='village').first().code)")
curl -fsS "http://127.0.0.1:$PORT/stations/$code/" | grep -q "<svg"
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/static/css/site.css"
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/admin/login/"
echo "production-mode smoke test passed"
