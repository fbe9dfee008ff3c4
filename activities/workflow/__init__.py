"""The activities workflow: every change of an activity's state goes through here.

Each action checks the actor's right (:mod:`activities.permissions`), the transition table
(:mod:`.table`) and its input, writes the change and an event row in one transaction, and
queues notifications after commit (:mod:`liaison.notifications` writes the inbox row in the
transaction and sends its copies on commit). The pages, the admin, the API and the demo all
call these functions.
"""

from .activities import (
    activity_create,
    activity_return,
    activity_update,
    activity_verify,
    channel_for,
)
from .errors import IllegalTransition, Invalid, NotAllowed, WorkflowError

__all__ = [
    "IllegalTransition",
    "Invalid",
    "NotAllowed",
    "WorkflowError",
    "activity_create",
    "activity_return",
    "activity_update",
    "activity_verify",
    "channel_for",
]
