"""The workflow's refusals: the lifecycle's, so a page catches one ``WorkflowError`` whether
the activity or one of its opinions was refused."""

from suggestions.workflow.errors import IllegalTransition, Invalid, NotAllowed, WorkflowError

__all__ = ["IllegalTransition", "Invalid", "NotAllowed", "WorkflowError"]
