"""The home page and the health check."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from liaison.scope import scope_for

from .celery import app as celery_app


@require_GET
def home(request):
    return render(request, "home.html", {"scope": scope_for(request.user)})


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the Celery broker answer, 503 (with the failing part) otherwise."""
    checks = {}
    healthy = True
    for name, check in (("database", check_database), ("broker", check_broker)):
        try:
            checks[name] = check()
        except Exception as error:  # any failure of a dependency is a failed check
            checks[name] = f"error: {type(error).__name__}"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows once an account is locked out from an address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
