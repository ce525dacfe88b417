"""The TOTP second factor for office staff, administrators and auditors (SECURITY S8).

django-otp holds the TOTP devices and refuses a code whose time step was already used, so a code
works once. Backup codes are ours because django-otp's static tokens are stored in clear: here
only their SHA-256 is kept (they are random, so a plain hash is enough) and a code is claimed by a
conditional update, so two requests racing with the same code cannot both succeed.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from congress.models import BackupCode, User
from congress.models.accounts import Role
from congress.permissions import has_role
from congress.workflow import record_event

SECOND_FACTOR_ROLES = (Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN, Role.AUDITOR)
BACKUP_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread from paper


def requires_second_factor(user) -> bool:
    if not settings.OTP_REQUIRED or not user.is_authenticated or user.is_api_account:
        return False
    return user.is_superuser or has_role(user, *SECOND_FACTOR_ROLES)


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The device being set up: one unconfirmed device per user, its secret kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, user: User, token: str) -> list[str] | None:
    """Confirm the device with a first code; returns the new backup codes (shown once), or None."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    record_event(user, actor=user, verb="second_factor_enrolled")
    return _backup_codes_replace(user)


def _backup_codes_replace(user: User) -> list[str]:
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(BACKUP_CODE_COUNT)]
    BackupCode.objects.filter(user=user).delete()
    BackupCode.objects.bulk_create([BackupCode(user=user, code_digest=_digest(code)) for code in codes])
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    record_event(user, actor=user, verb="backup_codes_regenerated")
    return _backup_codes_replace(user)


def second_factor_check(*, user: User, token: str):
    """The device that accepts `token` (a TOTP code or an unused backup code), or None."""
    token = token.strip()
    if token.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
        return None
    claimed = BackupCode.objects.filter(user=user, code_digest=_digest(token), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if claimed != 1:
        return None
    # The session is bound to the TOTP device; the backup code only stood in for its code.
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def second_factor_reset(*, actor, user: User) -> None:
    """An administrator clears a lost phone: the user enrols again at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    record_event(user, actor=actor, verb="second_factor_reset")


def unused_backup_codes(user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()
