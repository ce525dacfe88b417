"""Helpers shared by the supervision services: refusal, recipients, single-use tokens."""

import datetime
import hashlib
import secrets

from django.db.models import Q
from django.utils import timezone

from congress.models import Body, RoleGrant
from congress.models.accounts import Role
from congress.workflow import TransitionForbidden

OFFICE_ROLES = (Role.STAFF_ADMIN, Role.STAFF_CLERK)


def forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise TransitionForbidden()


def today() -> datetime.date:
    return timezone.localdate()


def _user_ids(query: Q) -> list[int]:
    return sorted(
        set(RoleGrant.objects.active().filter(query, user__is_active=True).values_list("user_id", flat=True))
    )


def staff_ids(body: Body) -> list[int]:
    return _user_ids(Q(role__in=OFFICE_ROLES, body=body))


def leader_ids(body: Body) -> list[int]:
    return _user_ids(Q(role=Role.LEADER, body=body))


def member_ids(body: Body) -> list[int]:
    """The standing committee's members: the chairpersons (leaders) and the other members."""
    return _user_ids(Q(role__in=(Role.MEMBER, Role.LEADER), body=body))


def unit_officer_ids(unit_ids) -> list[int]:
    return _user_ids(Q(role=Role.UNIT_OFFICER, unit_id__in=list(unit_ids)))


def new_token() -> tuple[str, str]:
    """A single-use link token and the digest stored in its place."""
    token = secrets.token_urlsafe(24)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
