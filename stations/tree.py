"""Operations on the station tree that keep derived fields (the township) consistent."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Station, StationKind


def refresh_townships(tree_ids=None) -> None:
    """Recompute ``Station.township`` for every node of the given trees (all trees if None).

    A node's township is the center station at or above it. Centers sit directly under a
    county hub, so their subtrees never overlap and one UPDATE per center is enough.
    """
    nodes = Station.objects.all()
    if tree_ids is not None:
        nodes = nodes.filter(tree_id__in=list(tree_ids))
    centers = list(nodes.filter(kind=StationKind.CENTER).values_list("id", "tree_id", "lft", "rght"))
    nodes.exclude(township=None).update(township=None)
    for center_id, tree_id, lft, rght in centers:
        Station.objects.filter(tree_id=tree_id, lft__gte=lft, rght__lte=rght).update(township_id=center_id)


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
