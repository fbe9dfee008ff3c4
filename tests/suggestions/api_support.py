"""Helpers for the API tests: logged-in clients, URLs, and a snapshot of the lifecycle's state
to show that a refused request changed nothing."""

from rest_framework.test import APIClient

from suggestions.models import (
    Assignment,
    Commitment,
    ContactRecord,
    ExtensionRequest,
    Feedback,
    Opinion,
    OpinionEvent,
    ProgressLog,
    Reply,
    Suggestion,
    SuggestionEvent,
)


def client_for(user) -> APIClient:
    """An API client with the user's session (``None``: anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def api(path: str) -> str:
    return f"/api/{path.strip('/')}/"


def snapshot() -> dict:
    """Every status and every count of the lifecycle's records."""
    return {
        "suggestions": list(Suggestion.objects.order_by("pk").values_list("pk", "status", "title", "primary_id")),
        "opinions": list(Opinion.objects.order_by("pk").values_list("pk", "status")),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", "status", "due_on")),
        "extensions": list(ExtensionRequest.objects.order_by("pk").values_list("pk", "status")),
        "commitments": list(Commitment.objects.order_by("pk").values_list("pk", "status")),
        "counts": [
            model.objects.count()
            for model in (SuggestionEvent, OpinionEvent, ContactRecord, ProgressLog, Reply, Feedback)
        ],
    }
