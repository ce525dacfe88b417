"""One-time SMS codes that verify a citizen's phone before an opinion is taken with it.

Limits (SECURITY S14): per phone and per requesting address at most `HOURLY_LIMIT` codes an hour,
and at least `SEND_INTERVAL` between two codes to one phone. A code lives `CODE_TTL` and takes
`MAX_ATTEMPTS` guesses; only the newest unused code of a phone counts. Codes are kept as keyed
digests, phones and addresses as blind indexes, so the table holds nothing readable.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.fields import blind_index
from congress.notifications import sms
from congress.workflow import WorkflowError
from contact_stations.models import SmsCode
from deputies.models import validate_phone

SEND_INTERVAL = datetime.timedelta(seconds=60)
HOURLY_LIMIT = 5
CODE_TTL = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
CODE_DIGITS = 6


class SmsRateLimited(WorkflowError):
    code = "sms_rate_limited"
    status = 429
    default_message = gettext_lazy("Too many codes requested; please wait a while and try again.")


class SmsCodeRejected(WorkflowError):
    code = "sms_code_invalid"
    status = 400
    default_message = gettext_lazy("The verification code is wrong or has expired; request a new one.")


def _code_hash(phone_index: str, code: str) -> str:
    return salted_hmac("contact_stations.sms_code", f"{phone_index}:{code}", algorithm="sha256").hexdigest()


def _ip_index(ip: str) -> str:
    return blind_index(f"ip:{ip}") if ip else ""


def sms_code_request(
    *, phone: str, ip: str = "", purpose: str = SmsCode.Purpose.OPINION, now: datetime.datetime | None = None
) -> SmsCode:
    """Send a fresh code to `phone`, or raise `SmsRateLimited` (carrying `retry_after` seconds)."""
    phone = "".join((phone or "").split())
    validate_phone(phone)
    if not phone:
        raise SmsCodeRejected(_("Enter a mobile phone number."))
    now = now or timezone.now()
    phone_index = blind_index(phone)
    ip_index = _ip_index(ip)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        recent = SmsCode.objects.filter(purpose=purpose, created_at__gt=now - datetime.timedelta(hours=1))
        sent = sorted(recent.filter(phone_index=phone_index).values_list("created_at", flat=True))
        if sent and sent[-1] > now - SEND_INTERVAL:
            raise SmsRateLimited(retry_after=int((sent[-1] + SEND_INTERVAL - now).total_seconds()) + 1)
        if len(sent) >= HOURLY_LIMIT:
            raise SmsRateLimited(retry_after=int((sent[0] + datetime.timedelta(hours=1) - now).total_seconds()) + 1)
        if ip_index and recent.filter(ip_index=ip_index).count() >= HOURLY_LIMIT:
            raise SmsRateLimited(retry_after=3600)
        try:
            with transaction.atomic():
                row = SmsCode.objects.create(
                    phone_index=phone_index,
                    ip_index=ip_index,
                    purpose=purpose,
                    code_hash=_code_hash(phone_index, code),
                    # Two requests racing past the checks above land in the same slot and one
                    # insert fails; the interval check covers requests in neighbouring slots.
                    send_slot=int(now.timestamp()) // int(SEND_INTERVAL.total_seconds()),
                    created_at=now,
                    expires_at=now + CODE_TTL,
                )
        except IntegrityError:
            raise SmsRateLimited(retry_after=int(SEND_INTERVAL.total_seconds())) from None
        message = _("Your Tongxin verification code is %(code)s. It is valid for %(minutes)s minutes.") % {
            "code": code,
            "minutes": int(CODE_TTL.total_seconds() // 60),
        }
        # Sent once the row is committed, so a rolled-back request sends nothing; a gateway
        # failure still counts the request against the limits (no free retries for abuse).
        transaction.on_commit(lambda: sms.get_backend().send(phone=phone, message=message))
    return row


def sms_code_verify(
    *, phone: str, code: str, purpose: str = SmsCode.Purpose.OPINION, now: datetime.datetime | None = None
) -> None:
    """Accept the newest unused code sent to `phone` once, or raise `SmsCodeRejected`.

    Each guess is counted in its own transaction, committed even when the guess is wrong.
    """
    now = now or timezone.now()
    phone_index = blind_index("".join((phone or "").split()))
    code = "".join((code or "").split())
    accepted = False
    with transaction.atomic():
        row = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=phone_index, purpose=purpose, consumed_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.expires_at <= now or row.attempts >= MAX_ATTEMPTS:
            raise SmsCodeRejected()
        SmsCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        if code and constant_time_compare(_code_hash(phone_index, code), row.code_hash):
            accepted = bool(
                SmsCode.objects.filter(pk=row.pk, consumed_at__isnull=True).update(consumed_at=now)
            )
    if not accepted:
        raise SmsCodeRejected()


def sms_codes_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete codes older than a day: they serve no limit any more."""
    now = now or timezone.now()
    deleted, _detail = SmsCode.objects.filter(created_at__lt=now - datetime.timedelta(days=1)).delete()
    return deleted
