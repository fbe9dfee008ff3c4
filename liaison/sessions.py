"""Sessions that end after a spell of inactivity, renewed without a write on every request.

Django's own way (``SESSION_SAVE_EVERY_REQUEST``) writes the session row on every page. Here
a signed-in session is renewed at most once every ``RENEW_AFTER``: the expiry then lies
``SESSION_COOKIE_AGE`` (``SESSION_IDLE_HOURS``) after the latest renewal, so a user idle for
that long is signed out, give or take those few minutes.
"""

import time

from django.conf import settings

RENEW_AFTER = 300  # seconds
LAST_SEEN = "_last_seen"


def mark_seen(session) -> None:
    """Start (or restart) the idle clock of ``session``; marks the session for saving."""
    session[LAST_SEEN] = int(time.time())
    session.set_expiry(settings.SESSION_COOKIE_AGE)


def on_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: a fresh sign-in starts the idle clock."""
    if getattr(request, "session", None) is not None:
        mark_seen(request.session)


class IdleSessionMiddleware:
    """Renew a signed-in session's expiry when it was last renewed more than ``RENEW_AFTER`` ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        signed_in = session is not None and user is not None and user.is_authenticated
        if signed_in and int(time.time()) - session.get(LAST_SEEN, 0) >= RENEW_AFTER:
            mark_seen(session)
        return self.get_response(request)
