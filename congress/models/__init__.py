"""The institution: its regions and bodies, people and roles, calendar, rules, events and inbox."""

from congress.models.accounts import ApiToken, BackupCode, PasswordHistory, RoleGrant, User
from congress.models.audit_chain import AuditChainHead, AuditSeal, AuditStream
from congress.models.calendar import WorkingDayOverride
from congress.models.events import Event
from congress.models.idempotency import IdempotencyKey
from congress.models.institution import Body, Committee, Region, Session, Term, Unit
from congress.models.notifications import Delivery, Notification
from congress.models.rules import BodyRules

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditSeal",
    "AuditStream",
    "BackupCode",
    "Body",
    "BodyRules",
    "Committee",
    "Delivery",
    "Event",
    "IdempotencyKey",
    "Notification",
    "PasswordHistory",
    "Region",
    "RoleGrant",
    "Session",
    "Term",
    "Unit",
    "User",
    "WorkingDayOverride",
]
