"""Template context on every page: the user's roles (for the menu) and unread messages."""

from liaison.scope import scope_for

from .notifications import unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_scope": scope_for(user), "unread_notifications": unread_count(user)}
