"""SMS backends. ``settings.SMS_BACKEND`` names the class; a provider plugs in by subclassing
:class:`BaseSmsBackend` and implementing :meth:`send` (see docs/reminders.md, "Plugging in an SMS
provider"). :mod:`liaison.delivery` sends each SMS copy through :func:`get_backend`."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("liaison.sms")


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone`` or raise an exception; the caller retries."""
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes each message to the log instead of sending it (the default)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend(BaseSmsBackend):
    """Keeps messages in ``outbox`` (for tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
