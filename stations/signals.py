"""Keep derived tree fields right when django-mptt moves nodes (admin drag and drop)."""

from django.dispatch import receiver
from mptt.signals import node_moved

from .models import Station


@receiver(node_moved, sender=Station)
def refresh_township_after_move(sender, instance, **kwargs):
    Station.objects.refresh_townships([instance.tree_id])
