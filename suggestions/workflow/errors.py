class WorkflowError(Exception):
    """An action refused by the workflow. ``str(error)`` is a message for the user."""


class NotAllowed(WorkflowError):
    """The actor has no right to take this action on this object."""


class IllegalTransition(WorkflowError):
    """The action does not apply to the object's current status."""


class Invalid(WorkflowError):
    """The action's input is wrong (missing reason, date beyond the cap …)."""
