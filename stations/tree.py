"""Operations on the station tree that keep derived fields (the township) consistent."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Station


class MoveRefused(Exception):
    """A move that would break the tree's rules; the message is for the user."""


def station_move(*, station: Station, new_parent: Station) -> Station:
    """Move ``station`` (with its subtree) under ``new_parent`` and refresh townships.

    Refuses moves into its own subtree and moves that break the kind rules of
    :meth:`Station.clean`.
    """
    if new_parent.pk == station.pk or new_parent.is_descendant_of(station):
        raise MoveRefused(_("A station cannot be moved under itself or one of the stations below it."))
    with transaction.atomic():
        station.parent = new_parent
        try:
            station.clean()
        except Exception as error:
            raise MoveRefused("；".join(_flatten(error))) from error
        # django-mptt sends node_moved, whose receiver refreshes the townships.
        station.move_to(new_parent, "last-child")
        station.refresh_from_db()
    return station


def _flatten(error) -> list[str]:
    messages = getattr(error, "messages", None)
    return list(messages) if messages else [str(error)]
