"""Face-to-face sessions (面对面督办测评): planning, the agenda, opening and closing rating, and
the ratings collected at the meeting.

A rating given at a session is an ordinary `Rating` with `via=session`, written by the
evaluation services, so every guarantee of those holds: only the lead deputy's own account
rates their item, once, never edited, 不满意 needs a reason and leads to re-handling. The
session adds one condition: rating is possible only while the session is open. Standing-
committee members invited to the session rate its motions and key suggestions as the second
rater group (双测评); their ratings never count as the deputy's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.models import Body
from congress.notifications.services import notify
from congress.workflow import IllegalTransition, WorkflowError, record_event, transition
from suggestions import permissions
from suggestions.models import AgendaItem, Assignment, FaceToFaceSession, Proposal, Rating
from suggestions.services.common import forbid_unless, today, unit_officer_ids
from suggestions.services.evaluation import _create_deputy_rating, rating_submit_as_member
from suggestions.services.followup import MEETING_STATES

SessionState = FaceToFaceSession.State
# A closed item may still be discussed: members rate closed motions and key suggestions too.
AGENDA_STATES = (*MEETING_STATES, Proposal.State.CLOSED)


class SessionNotOpen(WorkflowError):
    code = "session_not_open"
    default_message = gettext_lazy("Rating at this session is not open.")


def _lock(session: FaceToFaceSession) -> FaceToFaceSession:
    return FaceToFaceSession.objects.select_for_update().select_related("body__region").get(pk=session.pk)


def _validate_fields(*, body: Body, title: str, place: str, units, deputies, members) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the session a title.")
    if not place.strip():
        errors["place"] = _("Say where the session takes place.")
    if any(deputy.body_id != body.pk for deputy in deputies):
        errors["deputies"] = _("Invite deputies of this congress only.")
    if any(not permissions.can_rate_as_member_of(member, body) for member in members):
        errors["members"] = _("Invite standing committee members of this congress only.")
    if errors:
        raise ValidationError(errors)


def _set_people(session: FaceToFaceSession, *, units, deputies, members) -> None:
    session.units.set(units)
    session.deputies.set(deputies)
    session.members.set(members)


@transaction.atomic
def session_create(
    *, actor, body: Body, title: str, starts_at: datetime.datetime, place: str, units=(), deputies=(), members=(),
) -> FaceToFaceSession:
    """Plan a session: when and where, the units attending, the deputies and members invited."""
    forbid_unless(permissions.is_staff_for(actor, body))
    _validate_fields(body=body, title=title, place=place, units=units, deputies=deputies, members=members)
    session = FaceToFaceSession.objects.create(
        body=body, title=title.strip(), starts_at=starts_at, place=place.strip(), created_by=actor
    )
    _set_people(session, units=units, deputies=deputies, members=members)
    record_event(session, actor=actor, verb="session_created", to_state=session.state)
    return session


@transaction.atomic
def session_update(
    *, actor, session: FaceToFaceSession, title: str, starts_at: datetime.datetime, place: str, units=(),
    deputies=(), members=(),
) -> FaceToFaceSession:
    """Change the details or the invitations of a session that has not closed."""
    locked = _lock(session)
    forbid_unless(permissions.can_manage_session(actor, locked))
    if locked.state == SessionState.CLOSED:
        raise IllegalTransition(from_state=locked.state)
    _validate_fields(body=locked.body, title=title, place=place, units=units, deputies=deputies, members=members)
    locked.title, locked.starts_at, locked.place = title.strip(), starts_at, place.strip()
    locked.save(update_fields=["title", "starts_at", "place", "updated_at"])  # saved, so the audit log sees it
    _set_people(locked, units=units, deputies=deputies, members=members)
    record_event(locked, actor=actor, verb="session_updated")
    return locked


@transaction.atomic
def agenda_add(*, actor, session: FaceToFaceSession, proposal: Proposal) -> list[AgendaItem]:
    """Put a proposal on the agenda: one item per unit that answers it (lead or split handling).

    Adding a proposal already on the agenda adds nothing. Returns the items created.
    """
    locked = _lock(session)
    forbid_unless(permissions.can_manage_session(actor, locked))
    if locked.state == SessionState.CLOSED:
        raise IllegalTransition(from_state=locked.state)
    if proposal.body_id != locked.body_id or proposal.state not in AGENDA_STATES:
        raise ValidationError(_("Only a proposal of this congress that has been assigned can be put on the agenda."),
                              code="not_on_agenda")
    answering = list(
        Assignment.objects.filter(proposal=proposal, role__in=Assignment.ANSWERING_ROLES)
        .exclude(state=Assignment.State.REASSIGNED).order_by("pk")
    )
    present = set(AgendaItem.objects.filter(session=locked).values_list("assignment_id", flat=True))
    position = (AgendaItem.objects.filter(session=locked).aggregate(last=Max("position"))["last"] or 0)
    created = []
    for assignment in answering:
        if assignment.pk in present:
            continue
        position += 1
        try:
            with transaction.atomic():
                created.append(AgendaItem.objects.create(
                    session=locked, assignment=assignment, position=position, round=assignment.round,
                    added_by=actor,
                ))
        except IntegrityError:
            continue  # added by a concurrent request
    if created:
        record_event(locked, actor=actor, verb="agenda_item_added", note=str(proposal),
                     data={"proposal": proposal.pk, "assignments": [item.assignment_id for item in created]})
        record_event(proposal, actor=actor, verb="placed_on_session_agenda", note=locked.title,
                     data={"session": locked.pk})
    return created


@transaction.atomic
def agenda_remove(*, actor, item: AgendaItem) -> None:
    """Take an item off the agenda of a session that has not opened for rating yet."""
    locked = _lock(item.session)
    forbid_unless(permissions.can_manage_session(actor, locked))
    if locked.state != SessionState.PLANNED:
        raise IllegalTransition(from_state=locked.state)
    item = AgendaItem.objects.select_related("assignment__proposal").get(pk=item.pk, session=locked)
    item.delete()
    record_event(locked, actor=actor, verb="agenda_item_removed", note=str(item.assignment.proposal),
                 data={"assignment": item.assignment_id})


@transaction.atomic
def agenda_move(*, actor, item: AgendaItem, up: bool) -> None:
    """Swap an item with its neighbour above or below; at either end nothing moves."""
    locked = _lock(item.session)
    forbid_unless(permissions.can_manage_session(actor, locked))
    if locked.state == SessionState.CLOSED:
        raise IllegalTransition(from_state=locked.state)
    items = list(AgendaItem.objects.filter(session=locked).order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, candidate in enumerate(items, start=1):
        if candidate.position != position:
            AgendaItem.objects.filter(pk=candidate.pk).update(position=position)


@transaction.atomic
def session_open(*, actor, session: FaceToFaceSession) -> FaceToFaceSession:
    """Open rating at the meeting. Each item rates its assignment's round as it stands now."""
    locked = _lock(session)
    forbid_unless(permissions.can_manage_session(actor, locked))
    items = list(AgendaItem.objects.filter(session=locked).select_related("assignment"))
    if not items:
        raise ValidationError(_("Put at least one item on the agenda before opening rating."), code="empty_agenda")
    for item in items:
        if item.round != item.assignment.round:
            AgendaItem.objects.filter(pk=item.pk).update(round=item.assignment.round)
    transition(locked, to=SessionState.OPEN, actor=actor, verb="session_opened", expected=SessionState.PLANNED)
    notify(recipients=unit_officer_ids(locked.units.values_list("pk", flat=True)), kind="suggestions.session",
           title=_("Rating is open at the face-to-face session “%(title)s”") % {"title": locked.title},
           dedupe_key=f"session-open:{locked.pk}")
    session.state = SessionState.OPEN
    return session


@transaction.atomic
def session_close(*, actor, session: FaceToFaceSession) -> FaceToFaceSession:
    """End rating at the session; what was not rated there may still be rated in the portal."""
    locked = _lock(session)
    forbid_unless(permissions.can_manage_session(actor, locked))
    transition(locked, to=SessionState.CLOSED, actor=actor, verb="session_closed", expected=SessionState.OPEN)
    session.state = SessionState.CLOSED
    return session


def _open_item(session: FaceToFaceSession, item: AgendaItem) -> tuple[FaceToFaceSession, AgendaItem]:
    """Lock the session (a close waits for the rating, or the rating sees the session closed)."""
    locked = _lock(session)
    item = (
        AgendaItem.objects.select_related("assignment__proposal__lead_deputy", "assignment__proposal__body__region")
        .get(pk=item.pk, session=locked)
    )
    return locked, item


@transaction.atomic
def session_rating_submit(
    *, actor, item: AgendaItem, attitude: str, result: str, reason: str = "", on: datetime.date | None = None
) -> Rating:
    """The lead deputy rates their item at the session, from their own phone and account."""
    session, item = _open_item(item.session, item)
    forbid_unless(permissions.can_rate(actor, item.assignment))
    if session.state != SessionState.OPEN:
        raise SessionNotOpen()
    return _create_deputy_rating(
        actor=actor, assignment=item.assignment, attitude=attitude, result=result, reason=reason,
        via=Rating.Via.SESSION, rater=actor, on=on or today(),
    )


@transaction.atomic
def session_member_rating_submit(*, actor, item: AgendaItem, attitude: str, result: str, reason: str = "") -> Rating:
    """An invited standing-committee member rates a motion or key suggestion on the agenda (双测评)."""
    session, item = _open_item(item.session, item)
    forbid_unless(permissions.can_rate_at_session_as_member(actor, session))
    if session.state != SessionState.OPEN:
        raise SessionNotOpen()
    return rating_submit_as_member(
        actor=actor, assignment=item.assignment, attitude=attitude, result=result, reason=reason,
        via=Rating.Via.SESSION,
    )
