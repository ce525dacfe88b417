"""Key suggestions: designation by the chairpersons' meeting, progress, carry-over."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import Committee, User
from congress.models.accounts import Role
from congress.notifications.services import notify
from congress.permissions import has_role
from congress.workflow import IllegalTransition, record_event
from suggestions import permissions
from suggestions.models import KeySuggestion, KeySuggestionProgress, Proposal
from suggestions.services.common import committee_staff_ids, forbid_unless, today


@transaction.atomic
def key_suggestion_designate(
    *, actor, proposal: Proposal, year: int, supervising_leader: User, committee: Committee,
    designated_on: datetime.date | None = None,
) -> KeySuggestion:
    """Designate a proposal key (重点建议) for a year with its supervising leader and committee."""
    forbid_unless(permissions.can_designate_key(actor, proposal))
    if proposal.state in (Proposal.State.DRAFT, Proposal.State.SUBMITTED, Proposal.State.RETURNED,
                          Proposal.State.WITHDRAWN):
        raise ValidationError(_("Only an accepted proposal can be designated key."))
    if committee.body_id != proposal.body_id:
        raise ValidationError(_("The committee must belong to the proposal’s congress."))
    if not has_role(supervising_leader, Role.LEADER):
        raise ValidationError(_("The supervising leader must be a member of the chairpersons’ meeting."))
    key, created = KeySuggestion.objects.get_or_create(
        proposal=proposal, year=year,
        defaults={
            "supervising_leader": supervising_leader, "committee": committee, "designated_by": actor,
            "designated_on": designated_on or today(),
        },
    )
    if created:
        record_event(proposal, actor=actor, verb="designated_key",
                     data={"year": year, "leader": supervising_leader.pk, "committee": committee.pk})
        notify(recipients=[supervising_leader.pk, *committee_staff_ids(committee)], kind="suggestions.key",
               title=_("Key suggestion to supervise: %(title)s") % {"title": proposal.title},
               dedupe_key=f"key:{key.pk}")
    return key


@transaction.atomic
def key_suggestion_progress_add(*, actor, key_suggestion: KeySuggestion, note: str,
                                noted_on: datetime.date | None = None) -> KeySuggestionProgress:
    forbid_unless(permissions.can_designate_key(actor, key_suggestion.proposal)
                  or permissions.is_staff_for(actor, key_suggestion.proposal.body))
    entry = KeySuggestionProgress.objects.create(
        key_suggestion=key_suggestion, note=note, noted_on=noted_on or today(), author=actor
    )
    record_event(key_suggestion.proposal, actor=actor, verb="key_progress", note=note)
    return entry


@transaction.atomic
def key_suggestion_mark_solved(*, actor, key_suggestion: KeySuggestion) -> KeySuggestion:
    forbid_unless(permissions.can_designate_key(actor, key_suggestion.proposal))
    KeySuggestion.objects.filter(pk=key_suggestion.pk).update(is_solved=True)
    key_suggestion.is_solved = True
    record_event(key_suggestion.proposal, actor=actor, verb="key_solved", data={"year": key_suggestion.year})
    return key_suggestion


@transaction.atomic
def key_suggestions_carry_over(*, actor, body, year: int) -> list[KeySuggestion]:
    """Unsolved key suggestions of `year` carry into the next year with the same supervisors."""
    candidates = KeySuggestion.objects.filter(
        proposal__body=body, year=year, is_solved=False, carried_over_to__isnull=True
    ).select_related("proposal__body__region")
    carried = []
    for key in candidates:
        forbid_unless(permissions.can_designate_key(actor, key.proposal))
        new, created = KeySuggestion.objects.get_or_create(
            proposal=key.proposal, year=year + 1,
            defaults={
                "supervising_leader_id": key.supervising_leader_id, "committee_id": key.committee_id,
                "designated_by": actor, "designated_on": today(), "carried_over_from": key,
            },
        )
        if created:
            record_event(key.proposal, actor=actor, verb="key_carried_over", data={"from": year, "to": year + 1})
            carried.append(new)
    return carried


MEETING_STATES = (
    Proposal.State.ASSIGNED, Proposal.State.HANDLING, Proposal.State.REPLIED, Proposal.State.EVALUATED,
    Proposal.State.REHANDLING,
)


@transaction.atomic
def meeting_request(*, actor, proposal: Proposal, note: str = "") -> bool:
    """A confirmed signer asks for a face-to-face meeting (面对面督办) on a proposal being handled.

    There is no meeting model yet: the request is an event on the proposal's timeline and a
    notification to the office staff, who organise the session. A second request by the same
    deputy on the same day adds nothing; returns whether this call recorded one.
    """
    from congress.models import Event
    from suggestions.models import Signer
    from suggestions.services.common import staff_ids

    signer = (
        Signer.objects.select_related("deputy")
        .filter(proposal=proposal, deputy__user=actor, confirmed_at__isnull=False)
        .order_by("-is_lead", "pk")
        .first()
    )
    forbid_unless(signer is not None and permissions.can_confirm_signature(actor, signer))
    locked = Proposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    if locked.state not in MEETING_STATES:
        raise IllegalTransition(from_state=locked.state)
    if Event.objects.for_object(locked).filter(
        verb="meeting_requested", actor=actor, created_at__date=today()
    ).exists():
        return False
    event = record_event(locked, actor=actor, verb="meeting_requested", note=note.strip(),
                         data={"deputy": signer.deputy_id})
    notify(
        recipients=staff_ids(locked.body),
        kind="suggestions.meeting_requested",
        title=_("%(deputy)s asks for a face-to-face meeting on “%(title)s”")
        % {"deputy": signer.deputy.name, "title": locked.title},
        body=note.strip(),
        dedupe_key=f"meeting-requested:event-{event.pk}",
    )
    return True
