"""The workflow: every change of an opinion's or suggestion's state goes through here.

Each action checks the actor's right against the transition table's ``actor`` column
(:func:`suggestions.permissions.may_take`), the object's status against the table's sources
(:mod:`.table`) and its input, writes the change and an event row in one transaction, and
tells whom it concerns (:mod:`.notices`; e-mail and SMS copies go after commit). Shared
mechanics live in :mod:`.core`. Admin actions, department and deputy pages, the public form,
the API and Celery tasks all call these functions.
"""

from .errors import IllegalTransition, Invalid, NotAllowed, WorkflowError
from .feedback import feedback_deadline, feedback_rate, feedback_window_open, latest_reply
from .handling import (
    assignment_accept,
    assignment_cancel,
    assignment_log_contact,
    assignment_log_progress,
    assignment_reply,
    assignment_return,
    assignment_submit_input,
    commitment_fulfil,
    extension_cap,
    extension_decide,
    extension_request,
)
from .opinions import opinion_accept, opinion_answer, opinion_create, opinion_decline, opinion_merge
from .suggestions import (
    suggestion_accept,
    suggestion_assign,
    suggestion_close,
    suggestion_create,
    suggestion_join,
    suggestion_publish_reply,
    suggestion_reject,
    suggestion_submit,
    suggestion_update_draft,
)

__all__ = [
    "IllegalTransition",
    "Invalid",
    "NotAllowed",
    "WorkflowError",
    "assignment_accept",
    "assignment_cancel",
    "assignment_log_contact",
    "assignment_log_progress",
    "assignment_reply",
    "assignment_return",
    "assignment_submit_input",
    "commitment_fulfil",
    "extension_cap",
    "extension_decide",
    "extension_request",
    "feedback_deadline",
    "feedback_rate",
    "feedback_window_open",
    "latest_reply",
    "opinion_accept",
    "opinion_answer",
    "opinion_create",
    "opinion_decline",
    "opinion_merge",
    "suggestion_accept",
    "suggestion_assign",
    "suggestion_close",
    "suggestion_create",
    "suggestion_join",
    "suggestion_publish_reply",
    "suggestion_reject",
    "suggestion_submit",
    "suggestion_update_draft",
]
