"""The home page, the health check and the login pages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .access import scope_for
from .celery import app as celery_app
from .models import Notification


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


@login_required
@require_GET
def inbox(request):
    """The user's messages, newest first; unread ones highlighted."""
    notifications = Notification.objects.filter(recipient=request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "inbox.html", {"page": page, "show": show})


@login_required
@require_POST
def inbox_read(request, pk=None):
    """Mark one message (and follow its link) or all messages as read."""
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if pk is None:
        unread.update(read_at=timezone.now())
        return redirect("inbox")
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    unread.filter(pk=notification.pk).update(read_at=timezone.now())
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("inbox")
