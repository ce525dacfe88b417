"""Every write to the institution: reference data, users and their roles, API tokens, calendar, rules."""

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.authentication import token_digest
from congress.models import ApiToken, PasswordHistory, Region, RoleGrant, WorkingDayOverride
from congress.models.accounts import Role
from congress.permissions import ROLE_SCOPES
from congress.workflow import record_event

User = get_user_model()


def _region_path(region: Region) -> str:
    parent_path = region.parent.path if region.parent_id else "/"
    return f"{parent_path}{region.code}/"


@transaction.atomic
def region_save(*, actor, region: Region) -> Region:
    """Create or update a region, keeping the materialised paths of its subtree in step."""
    adding = region._state.adding
    old_path = "" if adding else Region.objects.get(pk=region.pk).path
    if region.parent_id and not adding and region.parent.path.startswith(old_path):
        raise ValidationError(_("The parent region cannot be the region itself or one of its subdivisions."))
    region.path = _region_path(region)
    region.save()
    if old_path and old_path != region.path:
        for child in Region.objects.filter(path__startswith=old_path).exclude(pk=region.pk):
            child.path = region.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    record_event(region, actor=actor, verb="created" if adding else "updated")
    return region


@transaction.atomic
def record_save(*, actor, form):
    """Save a validated ModelForm for reference data (bodies, terms, committees, units, rules)."""
    adding = form.instance._state.adding
    instance = form.save()
    record_event(
        instance,
        actor=actor,
        verb="created" if adding else "updated",
        data={"changed": sorted(form.changed_data)},
    )
    return instance


@transaction.atomic
def working_day_override_save(*, actor, day, is_working_day: bool, reason: str) -> WorkingDayOverride:
    override, created = WorkingDayOverride.objects.update_or_create(
        day=day, defaults={"is_working_day": is_working_day, "reason": reason, "created_by": actor}
    )
    record_event(override, actor=actor, verb="created" if created else "updated", note=reason)
    return override


@transaction.atomic
def working_day_override_delete(*, actor, override: WorkingDayOverride) -> None:
    record_event(override, actor=actor, verb="deleted", note=str(override))
    override.delete()


# ---- users and roles ------------------------------------------------------------------------


def random_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(*, actor, username: str, full_name: str = "", email: str = "", password: str | None = None,
                phone: str = "", is_api_account: bool = False) -> tuple[User, str]:
    """Create an account. Without a password a random one is set and must be changed (SECURITY S9)."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    chosen = password or random_password()
    user = User(username=username, full_name=full_name, email=email, phone=phone, is_api_account=is_api_account)
    user.set_password(chosen)
    # An empty password from a blank form field gets a random one too, which must be changed.
    user.must_change_password = not password and not is_api_account
    user.save()
    record_event(user, actor=actor, verb="created")
    return user, chosen


@transaction.atomic
def user_deactivate(*, actor, user: User, reason: str) -> User:
    """Deactivate an account: its sessions stop working at once and its tokens are revoked."""
    user.is_active = False
    user.save(update_fields=["is_active", "updated_at"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _end_sessions(user)
    record_event(user, actor=actor, verb="deactivated", note=reason)
    return user


def _end_sessions(user: User) -> None:
    # Django's auth rejects an inactive user's session on the next request; deleting the rows
    # as well frees them at once. Database sessions are decoded because they are keyed by id.
    # The configured engine deletes them, so that a cached_db session leaves the cache as well.
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()


@transaction.atomic
def password_changed(*, user: User) -> User:
    """Record that a user has just set a new password: the forced change is done (SECURITY S6, S9)."""
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password_changed_at", "must_change_password", "updated_at"])
    if settings.PASSWORD_HISTORY_COUNT:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[settings.PASSWORD_HISTORY_COUNT :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    record_event(user, actor=user, verb="password_changed")
    return user


@transaction.atomic
def role_grant(*, actor, user: User, role: str, body=None, committee=None, unit=None, region=None) -> RoleGrant:
    """Grant a role in a scope; the scope must be one the role takes (see permissions.ROLE_SCOPES)."""
    role = Role(role)
    given = {name for name, value in (("body", body), ("committee", committee), ("unit", unit), ("region", region))
             if value is not None}
    allowed = set(ROLE_SCOPES[role])
    if given - allowed or (allowed and not given):
        raise ValidationError(
            _("The role “%(role)s” must be scoped to: %(scopes)s.")
            % {"role": role.label, "scopes": "、".join(allowed) or _("none")}
        )
    grant, created = RoleGrant.objects.active().get_or_create(
        user=user, role=role, body=body, committee=committee, unit=unit, region=region,
        defaults={"granted_by": actor},
    )
    if created:
        record_event(user, actor=actor, verb="role_granted", data={"role": role, "grant": grant.pk})
    return grant


@transaction.atomic
def role_revoke(*, actor, grant: RoleGrant) -> RoleGrant:
    updated = RoleGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record_event(grant.user, actor=actor, verb="role_revoked", data={"role": grant.role, "grant": grant.pk})
    grant.refresh_from_db()
    return grant


# ---- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token and return it with its key; only the key's digest is kept."""
    key = "tx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], digest=token_digest(key))
    record_event(user, actor=actor, verb="token_issued", data={"token": token.pk, "prefix": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record_event(token.user, actor=actor, verb="token_revoked", data={"token": token.pk, "prefix": token.prefix})


@transaction.atomic
def api_token_rotate(*, actor, token: ApiToken) -> tuple[ApiToken, str]:
    """Revoke a token and issue its successor in one step, so the office swaps keys without a gap.

    Only a live token can be rotated: rotating a revoked one would bring back access that an
    administrator took away.
    """
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not revoked:
        raise ValidationError(_("This token has been revoked and cannot be rotated."))
    record_event(token.user, actor=actor, verb="token_revoked", data={"token": token.pk, "prefix": token.prefix})
    return api_token_issue(actor=actor, user=token.user, name=token.name)


@transaction.atomic
def api_account_create(*, actor, username: str, role: str, full_name: str = "", region=None, unit=None,
                       token_name: str = "") -> tuple[User, str, ApiToken, str]:
    """Create an office system's account with its one role and scope, and issue its first token.

    All or nothing: a role and scope that `role_grant` refuses leaves no account behind. Returns
    the user, its random password (for `POST /api/v1/auth/token/`), the token and its key; both
    secrets are shown once and never stored in the clear.
    """
    user, password = user_create(actor=actor, username=username, full_name=full_name, is_api_account=True)
    role_grant(actor=actor, user=user, role=role, region=region, unit=unit)
    token, key = api_token_issue(actor=actor, user=user, name=token_name)
    return user, password, token, key
