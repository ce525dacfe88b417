"""Writes of 双联系: standing-committee members assigned to deputies, and their contact logs."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body
from congress.notifications.services import notify
from congress.workflow import record_event
from deputies import permissions
from deputies.models import ActivityKind, ContactLog, ContactPair, Deputy
from deputies.services.activities import _check_participant, record_duty_activity

# ---- 双联系 ---------------------------------------------------------------------------------


@transaction.atomic
def contact_pair_create(*, actor, body: Body, year: int, member: Deputy, deputy: Deputy) -> ContactPair:
    """Assign a standing-committee member to keep in touch with a deputy for a year."""
    if not permissions.can_manage_deputies(actor, body):
        raise PermissionDenied
    if not member.is_standing_committee_member:
        raise ValidationError({"member": _("Only standing committee members are assigned deputies to contact.")})
    if member.pk == deputy.pk:
        raise ValidationError({"deputy": _("A member cannot be assigned to themself.")})
    for person in (member, deputy):
        _check_participant(body, person)
    pair = ContactPair(body=body, year=year, member=member, deputy=deputy)
    pair.full_clean()
    pair.save()
    record_event(pair, actor=actor, verb="created")
    return pair


def _contact_side(actor, pair: ContactPair) -> str:
    if pair.member.user_id == actor.pk:
        return ContactLog.Side.MEMBER
    if pair.deputy.user_id == actor.pk:
        return ContactLog.Side.DEPUTY
    if permissions.can_manage_deputies(actor, pair.body):
        return ContactLog.Side.STAFF
    raise PermissionDenied


@transaction.atomic
def contact_log_create(
    *, actor, pair: ContactPair, date: datetime.date, channel: str, content: str
) -> ContactLog:
    """Log a contact between the pair; it counts as a duty activity for both of them."""
    side = _contact_side(actor, pair)
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    log = ContactLog(pair=pair, date=date, channel=channel, content=content, logged_side=side, logged_by=actor)
    log.full_clean()
    log.save()
    record_event(pair, actor=actor, verb="contact_logged", data={"log": log.pk, "channel": channel})
    title = _("Contact between %(member)s and %(deputy)s") % {"member": pair.member.name, "deputy": pair.deputy.name}
    for person in (pair.member, pair.deputy):
        record_duty_activity(
            deputy=person, kind=ActivityKind.COMMITTEE_CONTACT, date=date, title=title,
            source_object=log, actor=actor, body=pair.body,
        )
    return log


def contact_pairs_remind_below_minimum(*, year: int, month: int) -> int:
    """Remind both sides of every pair below its body's yearly minimum (`BodyRules.
    contact_pair_yearly_minimum`); at most once per pair and month.

    A set-based sweep: one query finds the pairs, one `notify()` per pair writes the inbox rows,
    and the dedupe key makes a re-run or a duplicate task delivery remind nobody twice.
    """
    from deputies.selectors import contact_pairs_below_minimum

    reminded = 0
    for pair in contact_pairs_below_minimum(year):
        recipients = [user_id for user_id in (pair.member.user_id, pair.deputy.user_id) if user_id is not None]
        if not recipients:
            continue
        created = notify(
            recipients=recipients,
            kind="deputies.contact_pair_below_minimum",
            title=_("%(member)s and %(deputy)s have %(count)s of %(minimum)s contacts this year")
            % {"member": pair.member.name, "deputy": pair.deputy.name, "count": pair.contacts, "minimum": pair.minimum},
            dedupe_key=f"deputies.contact_pair_below_minimum:{pair.pk}:{year}-{month:02d}",
        )
        reminded += bool(created)
    return reminded
