"""The project package: settings, URLs, the Celery app, access rules and notifications."""

from .celery import app as celery_app

__all__ = ("celery_app",)
