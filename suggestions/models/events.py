"""The fields and labels every trail event has, opinion or suggestion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison import clock

from ..labels import ACTION_LABELS


class TrailEvent(models.Model):
    """One step on a trail: the action, from which status to which, who, when and why.

    Written only by :mod:`suggestions.workflow` (and the reminder scan for escalations).
    Subclasses name the status choices the labels are read from.
    """

    statuses: type[models.TextChoices]
    action_labels = ACTION_LABELS

    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return str(self.action_labels.get(self.action, self.action))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)

    def _label(self, status: str) -> str:
        return str(self.statuses(status).label) if status in self.statuses.values else ""
