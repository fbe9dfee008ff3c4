"""Workflow refusals as HTTP answers: not allowed 403, wrong status 409, bad input 400."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..workflow import IllegalTransition, Invalid, NotAllowed, WorkflowError

WORKFLOW_STATUS_CODES = (
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (IllegalTransition, status.HTTP_409_CONFLICT),
    (Invalid, status.HTTP_400_BAD_REQUEST),
)


def status_code_for(error: WorkflowError) -> int:
    for error_class, code in WORKFLOW_STATUS_CODES:
        if isinstance(error, error_class):
            return code
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    """DRF's handler, plus workflow errors answered as ``{"detail": message}``."""
    if isinstance(exc, WorkflowError):
        return Response({"detail": str(exc)}, status=status_code_for(exc))
    return drf_exception_handler(exc, context)
