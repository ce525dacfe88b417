"""Writes to the roster: mandates, their accounts, linked mandates, ended mandates and unmasking."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import services as congress_services
from congress.fields import blind_index
from congress.models import Body, RoleGrant, User
from congress.models.accounts import Role
from congress.unmasking import record_unmask
from congress.workflow import TransitionForbidden, record_event, transition
from deputies import permissions
from deputies.models import Deputy

# Roster fields staff may set through deputy_create / deputy_update. Status, account and the
# linked mandate have their own services because each carries a side effect or an invariant.
ROSTER_FIELDS = frozenset(
    {
        "name", "gender", "ethnicity", "birth_date", "party", "education", "occupation", "employer",
        "sector", "constituency", "delegation", "is_standing_committee_member", "is_district_leader",
        "id_number", "phone", "photo", "public_bio",
    }
)
# What a deputy may edit on their own public card from the portal.
PROFILE_FIELDS = frozenset({"photo", "public_bio"})
# Fields whose values never go into an event row (encrypted at rest, masked everywhere).
SECRET_FIELDS = frozenset({"id_number", "phone"})


# ---- roster --------------------------------------------------------------------------------


def _check_fields(fields: Mapping, allowed=ROSTER_FIELDS) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


def _validate_deputy(deputy: Deputy) -> None:
    """Model validation plus the cross-row rules a constraint cannot state."""
    if deputy.term.body_id != deputy.body_id:
        raise ValidationError({"term": _("The term belongs to another congress.")})
    for name in ("constituency", "delegation"):
        related = getattr(deputy, name)
        if related is not None and related.term_id != deputy.term_id:
            raise ValidationError({name: _("This belongs to another term.")})
    if deputy.id_number:
        deputy.id_number = deputy.id_number.strip().upper()
    if deputy.phone:
        deputy.phone = "".join(deputy.phone.split())
    # The blind indexes are normally filled on save; fill them now so that full_clean() checks
    # the "one mandate per person per term" constraint with a readable error.
    deputy.id_number_index = blind_index(deputy.id_number) if deputy.id_number else ""
    deputy.phone_index = blind_index(deputy.phone) if deputy.phone else ""
    deputy.full_clean()


@transaction.atomic
def deputy_create(*, actor, body: Body, term, name: str, gender: str, user: User | None = None, **fields) -> Deputy:
    """Add a mandate to the roster; with `user`, that account becomes the deputy's login."""
    if not permissions.can_manage_deputies(actor, body):
        raise PermissionDenied
    _check_fields(fields)
    deputy = Deputy(body=body, term=term, name=name, gender=gender, **fields)
    _validate_deputy(deputy)
    deputy.save()
    record_event(deputy, actor=actor, verb="created")
    if user is not None:
        deputy_link_user(actor=actor, deputy=deputy, user=user)
    return deputy


def deputy_update(*, actor, deputy: Deputy, **changes) -> Deputy:
    """Staff change roster fields; the event names the changed fields but never a secret's value."""
    if not permissions.can_manage_deputy(actor, deputy):
        raise PermissionDenied
    return _deputy_update(actor=actor, deputy=deputy, allowed_fields=ROSTER_FIELDS, **changes)


@transaction.atomic
def _deputy_update(*, actor, deputy: Deputy, allowed_fields, **changes) -> Deputy:
    _check_fields(changes, allowed_fields)
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    changed = sorted(name for name, value in changes.items() if getattr(deputy, name) != value)
    if not changed:
        return deputy
    for name, value in changes.items():
        setattr(deputy, name, value)
    _validate_deputy(deputy)
    deputy.save()
    record_event(deputy, actor=actor, verb="updated", data={"changed": changed})
    return deputy


def deputy_profile_update(*, actor, deputy: Deputy, **changes) -> Deputy:
    """A deputy edits the public part of their own card (portal); the rest stays read-only."""
    if deputy.user_id != actor.pk or not actor.is_active:
        raise PermissionDenied
    return _deputy_update(actor=actor, deputy=deputy, allowed_fields=PROFILE_FIELDS, **changes)


@transaction.atomic
def deputy_link_user(*, actor, deputy: Deputy, user: User) -> Deputy:
    """Make `user` the deputy's account and give it the deputy role in the deputy's congress."""
    if not permissions.can_manage_deputy(actor, deputy):
        raise PermissionDenied
    if deputy.user_id not in (None, user.pk):
        raise ValidationError({"user": _("This mandate already has an account.")})
    if Deputy.objects.filter(term=deputy.term, user=user).exclude(pk=deputy.pk).exists():
        raise ValidationError({"user": _("This account already holds a mandate in this term.")})
    if deputy.user_id is None:
        Deputy.objects.filter(pk=deputy.pk).update(user=user, updated_at=timezone.now())
        deputy.user = user
        record_event(deputy, actor=actor, verb="account_linked", data={"user": user.pk})
    congress_services.role_grant(actor=actor, user=user, role=Role.DEPUTY, body=deputy.body)
    return deputy


@transaction.atomic
def deputy_link_mandates(*, actor, deputy: Deputy, other: Deputy) -> None:
    """Link one person's district and township mandates (each row points at the other)."""
    if not (permissions.can_manage_deputy(actor, deputy) and permissions.can_manage_deputy(actor, other)):
        raise PermissionDenied
    if deputy.pk == other.pk:
        raise ValidationError(_("A mandate cannot be linked to itself."))
    if deputy.body.level == other.body.level:
        raise ValidationError(_("Only a district and a township mandate can be linked."))
    if deputy.id_number_index and other.id_number_index and deputy.id_number_index != other.id_number_index:
        raise ValidationError(_("The two mandates belong to different people (ID numbers differ)."))
    for one, two in ((deputy, other), (other, deputy)):
        Deputy.objects.filter(pk=one.pk).update(linked_mandate=two, updated_at=timezone.now())
        one.linked_mandate = two
        record_event(one, actor=actor, verb="mandate_linked", data={"deputy": two.pk})


@transaction.atomic
def deputy_end_mandate(*, actor, deputy: Deputy, status: str, on_date: datetime.date, reason: str) -> Deputy:
    """End a mandate (resigned, terminated, deceased) and close the deputy's access.

    The deputy role for this congress is revoked. If the account holds no other serving mandate
    and no other role, it is deactivated, which ends its sessions and revokes its API tokens at
    once (SECURITY S10); an account with other duties keeps them.
    """
    if not permissions.can_manage_deputy(actor, deputy):
        raise TransitionForbidden()
    if status == Deputy.Status.SERVING:
        raise ValidationError({"status": _("Choose how the mandate ended.")})
    if not reason.strip():
        raise ValidationError({"reason": _("A reason is required.")})
    deputy = transition(
        deputy,
        to=status,
        actor=actor,
        verb="mandate_ended",
        note=reason,
        expected=Deputy.Status.SERVING,
        changes={"status_changed_on": on_date, "status_reason": reason},
        data={"date": on_date.isoformat()},
    )
    if deputy.user_id is not None:
        _close_account(actor=actor, deputy=deputy, reason=reason)
    return deputy


def _close_account(*, actor, deputy: Deputy, reason: str) -> None:
    user = deputy.user
    other_serving = Deputy.objects.serving().filter(user=user).exclude(pk=deputy.pk)
    if not other_serving.filter(body=deputy.body).exists():
        for grant in RoleGrant.objects.active().filter(user=user, role=Role.DEPUTY, body=deputy.body):
            congress_services.role_revoke(actor=actor, grant=grant)
    if other_serving.exists() or RoleGrant.objects.active().filter(user=user).exists():
        return
    if user.is_active:
        congress_services.user_deactivate(actor=actor, user=user, reason=reason)


def deputy_unmask(*, actor, deputy: Deputy, field: str, reason: str, request=None) -> str:
    """Return a deputy's full ID number or phone to someone allowed to see it, and log it (S18)."""
    if field not in SECRET_FIELDS:
        raise ValidationError({"field": _("Only the ID number and the phone are masked.")})
    record_unmask(
        actor=actor, obj=deputy, allowed=permissions.can_unmask(actor, deputy), field=field, reason=reason,
        request=request, reason_required=deputy.user_id != actor.pk,  # a deputy sees their own without one
    )
    return getattr(deputy, field)
