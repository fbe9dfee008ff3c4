"""Human names of the activities workflow's actions, for trails and messages."""

from django.utils.translation import gettext_lazy

ACTIVITY_ACTION_LABELS = {
    "create": gettext_lazy("Recorded"),
    "update": gettext_lazy("Corrected"),
    "resubmit": gettext_lazy("Corrected and resubmitted"),
    "verify": gettext_lazy("Verified"),
    "return": gettext_lazy("Returned to the deputy"),
    "add_photo": gettext_lazy("Photo added"),
    "check_in": gettext_lazy("Checked in"),
}

DUTY_ACTION_LABELS = {
    "assign": gettext_lazy("Put on duty"),
    "remove": gettext_lazy("Taken off the roster"),
    "check_in": gettext_lazy("Checked in"),
    "miss": gettext_lazy("Duty missed"),
    "leave_request": gettext_lazy("Leave requested"),
    "leave_approve": gettext_lazy("Leave approved"),
    "leave_refuse": gettext_lazy("Leave refused"),
}
