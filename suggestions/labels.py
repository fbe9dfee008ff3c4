"""Human names of the workflow's actions, for timelines and messages."""

from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "create": gettext_lazy("Entered"),
    "edit": gettext_lazy("Draft edited"),
    "submit": gettext_lazy("Submitted"),
    "accept": gettext_lazy("Accepted as a suggestion"),
    "reject": gettext_lazy("Not accepted"),
    "join": gettext_lazy("Joined to another suggestion"),
    "assign": gettext_lazy("Assigned"),
    "start_handling": gettext_lazy("Handling started"),
    "lead_returned": gettext_lazy("Returned by the lead department"),
    "return": gettext_lazy("Returned"),
    "reply": gettext_lazy("Replied"),
    "rate_partly": gettext_lazy("Rated"),
    "rate": gettext_lazy("Rated"),
    "rate_unsatisfied": gettext_lazy("Rated unsatisfied, handled again"),
    "escalate": gettext_lazy("Escalated to the standing committee's supervision"),
    "close": gettext_lazy("Closed"),
    "close_joined": gettext_lazy("Closed with the joined suggestion"),
    "answer": gettext_lazy("Answered on the spot"),
    "merge": gettext_lazy("Merged into a suggestion"),
    "decline": gettext_lazy("Declined"),
    "accept_assignment": gettext_lazy("Department accepted"),
    "contact": gettext_lazy("Contacted the deputy"),
    "progress": gettext_lazy("Progress"),
    "report": gettext_lazy("Progress report"),
    "submit_input": gettext_lazy("Co-handler's input"),
    "cancel": gettext_lazy("Assignment cancelled"),
    "cancel_with_lead": gettext_lazy("Assignment cancelled"),
    "request_extension": gettext_lazy("Extension requested"),
    "approve_extension": gettext_lazy("Extension approved"),
    "refuse_extension": gettext_lazy("Extension refused"),
    "fulfil_commitment": gettext_lazy("Commitment fulfilled"),
    "publish_reply": gettext_lazy("Reply published"),
    "remind": gettext_lazy("Reminder sent"),
}

# Where an opinion's step is named differently from the suggestion's step of the same action.
OPINION_ACTION_LABELS = {
    **ACTION_LABELS,
    "accept": gettext_lazy("Taken up"),
}
