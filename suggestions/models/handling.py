"""How departments handle a suggestion: assignments, contacts, progress, extensions,
replies with their commitments, and the deputies' ratings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison import clock
from liaison.scope import scope_for


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead department (主办)")
    CO = "co", _("Co-handler (协办)")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Being handled")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """County staff see all assignments; township staff those of their township's
        suggestions; handlers their department's."""
        scope = scope_for(user)
        if scope.is_county:
            return self
        return self.filter(
            Q(department_id__in=scope.department_ids) | Q(suggestion__township_id__in=scope.township_ids)
        )


class Assignment(models.Model):
    """One department's order to handle a suggestion (交办单), in one handling round.

    Round 1 is the first assignment; re-handling after an unsatisfied rating opens a new
    round with a new lead assignment. ``midpoint_on`` and ``last_progress_at`` are stored so
    that the three-colour supervision can be filtered in SQL.
    """

    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        "suggestions.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=4, choices=AssignmentRole.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    assigned_at = models.DateTimeField(_("assigned"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    due_on = models.DateField(_("due"), db_index=True)
    original_due_on = models.DateField(_("originally due"))
    midpoint_on = models.DateField(_("half of the time"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True, db_index=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role="lead", status__in=["pending", "accepted"]),
                name="one_open_lead_assignment",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "department", "round"],
                condition=Q(status__in=["pending", "accepted", "done"]),
                name="one_live_assignment_per_department_and_round",
            ),
        ]
        indexes = [models.Index(fields=["department", "status", "due_on"])]

    def __str__(self):
        return f"{self.suggestion} → {self.department}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT_STATUSES

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD


class ContactMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face (见面)")
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other")


class ContactRecord(models.Model):
    """A department's contact with the deputy about the suggestion."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="contacts"
    )
    contacted_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=15, choices=ContactMethod.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("contact with the deputy")
        verbose_name_plural = _("contacts with the deputy")
        ordering = ["contacted_on", "id"]

    def __str__(self):
        return f"{self.get_method_display()} {self.contacted_on:%Y-%m-%d}"


class ProgressKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    CO_INPUT = "co_input", _("Co-handler's input")
    SUPERVISION_REPORT = "report", _("Progress report to the supervisor")


def handling_file_path(instance, filename):
    return f"handling/{instance.assignment.suggestion_id}/{filename}"


class ProgressLog(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="progress_logs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ProgressKind.choices, default=ProgressKind.PROGRESS)
    text = models.TextField(_("text"))
    file = models.FileField(_("file"), upload_to=handling_file_path, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:40]


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="extension_requests"
    )
    requested_due_on = models.DateField(_("requested due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    granted_due_on = models.DateField(_("granted due date"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="pending"), name="one_pending_extension_per_assignment"
            )
        ]

    def __str__(self):
        return f"{self.assignment} → {self.requested_due_on:%Y-%m-%d}"


def reply_file_path(instance, filename):
    return f"replies/{instance.suggestion_id}/{filename}"


class Reply(models.Model):
    """The lead department's formal reply (答复) in one handling round."""

    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="replies"
    )
    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="reply"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    result_class = models.ForeignKey(
        "suggestions.ResultClass", verbose_name=_("result class"), on_delete=models.PROTECT
    )
    content = models.TextField(_("reply"))
    file = models.FileField(_("signed reply letter"), upload_to=reply_file_path, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("replied"))
    on_time = models.BooleanField(_("on time"))
    feedback_due_on = models.DateField(_("rating due"), db_index=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["round"]

    def __str__(self):
        return f"{self.suggestion} #{self.round}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")


class Commitment(models.Model):
    """A promise made in a B-class reply (承诺事项), tracked until fulfilled."""

    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="commitments"
    )
    reply = models.ForeignKey(Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="commitments")
    content = models.CharField(_("commitment"), max_length=300)
    due_on = models.DateField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    fulfilled_note = models.TextField(_("how it was fulfilled"), blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder"), null=True, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.content


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Feedback(models.Model):
    """A deputy's rating of a reply (满意度测评). Joined suggestions rate the same reply, each
    through its own lead deputy."""

    suggestion = models.ForeignKey(
        "suggestions.Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="feedback"
    )
    reply = models.ForeignKey(Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="feedback")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["rated_at"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "reply"], name="one_rating_per_suggestion_and_reply")
        ]

    def __str__(self):
        return f"{self.deputy_id} {self.get_rating_display()}"
