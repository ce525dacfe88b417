"""SMS backends: an interface for the carrier gateway and a logging default.

A production deployment points `SMS_BACKEND` at a class implementing `SmsBackend.send()` for the
district's SMS gateway. The default only writes a log line, with the number masked, so that a bare
machine runs without a gateway and no phone number ever reaches a log file.
"""

import logging
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from congress.masking import mask_phone

logger = logging.getLogger("tongxin.sms")


class SmsError(Exception):
    """The gateway refused or failed to take a message; the delivery is retried later."""


class SmsBackend:
    """Send one text message to one plaintext phone number, or raise `SmsError`."""

    def send(self, *, phone: str, message: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Writes the message to the `tongxin.sms` logger instead of sending it."""

    def send(self, *, phone: str, message: str) -> None:
        if not phone:
            raise SmsError("no phone number")
        logger.info("sms to %s: %s", mask_phone(phone), message)


# Messages taken by MemorySmsBackend, like django.core.mail.outbox for the locmem email backend.
outbox: list[dict] = []


class MemorySmsBackend(SmsBackend):
    """Keeps messages in `congress.notifications.sms.outbox` (development and tests)."""

    def send(self, *, phone: str, message: str) -> None:
        if not phone:
            raise SmsError("no phone number")
        logger.info("sms to %s: %s", mask_phone(phone), message)
        outbox.append({"phone": phone, "message": message})


@cache
def _backend_class(path: str) -> type[SmsBackend]:
    return import_string(path)


def get_backend() -> SmsBackend:
    return _backend_class(settings.SMS_BACKEND)()
