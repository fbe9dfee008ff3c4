"""SMS backends. ``settings.SMS_BACKEND`` names the class; a provider plugs in by subclassing
:class:`BaseSmsBackend` and implementing :meth:`send` (see docs/reminders.md, "Plugging in an SMS
provider"). :mod:`liaison.delivery` sends each SMS copy through :func:`get_backend`."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("liaison.sms")


class BaseSmsBackend:
    def send(self, phone: str, text: str, *, key: str = "") -> None:
        """Send ``text`` to ``phone`` or raise an exception; the caller retries.

        ``key`` is the same for every attempt at one copy: pass it to the provider as its
        de-duplication id so that a retry after a lost answer does not send the text twice.
        """
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes each message to the log instead of sending it (the default)."""

    def send(self, phone: str, text: str, *, key: str = "") -> None:
        logger.info("SMS %s to %s: %s", key, phone, text)


class MemorySmsBackend(BaseSmsBackend):
    """Keeps messages in ``outbox`` (for tests)."""

    outbox: list[tuple[str, str]] = []
    keys: list[str] = []

    def send(self, phone: str, text: str, *, key: str = "") -> None:
        MemorySmsBackend.outbox.append((phone, text))
        MemorySmsBackend.keys.append(key)


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
