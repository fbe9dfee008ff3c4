"""The inbox: each user's notifications, read and marked as read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Notification


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
