"""Assignment to units and the units' handling: objections, reassignment, extensions, contacts,
co-handlers' opinions, replies and commitments, and urging."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Unit
from congress.notifications.services import notify
from congress.rules import Deadline, months_after, working_days_after
from congress.workflow import IllegalTransition, record_event, transition
from deputies.models import ActivityKind
from deputies.services import record_duty_activity
from suggestions import permissions
from suggestions.models import (
    Assignment,
    CoHandlerOpinion,
    Commitment,
    Contact,
    Extension,
    Objection,
    Proposal,
    Reply,
    ReplyClass,
)
from suggestions.services.common import (
    CommitmentRequired,
    ContactRequired,
    ExtensionBeyondCap,
    ObjectionTooLate,
    forbid_unless,
    signer_user_ids,
    staff_ids,
    today,
    unit_officer_ids,
)
from suggestions.services.merging import MergeRefused, lock_with_group, merged_siblings

Role = Assignment.Role
State = Assignment.State


# ---- the proposal follows its answering units -----------------------------------------------


def advance_proposal(proposal: Proposal, *, actor) -> Proposal:
    """Move the proposal along its table as far as its answering units' states allow.

    With split handling every unit replies and is rated on its own; the proposal is replied when
    all have replied, evaluated when all are rated, re-handled when any is, closed when all are.
    Co-handlers do not move the proposal.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    states = set(
        Assignment.objects.filter(proposal=proposal, role__in=Assignment.ANSWERING_ROLES)
        .exclude(state=State.REASSIGNED)
        .values_list("state", flat=True)
    )
    if not states:
        return proposal
    done = {State.REPLIED, State.EVALUATED, State.REHANDLING, State.CLOSED}
    for _step in range(4):
        current, target = proposal.state, None
        if current == Proposal.State.ASSIGNED and states - {State.ASSIGNED, State.OBJECTED}:
            target = Proposal.State.HANDLING
        elif current in (Proposal.State.HANDLING, Proposal.State.REHANDLING) and states <= {
            State.REPLIED, State.EVALUATED, State.CLOSED
        }:
            target = Proposal.State.REPLIED
        elif current == Proposal.State.REPLIED and states <= done - {State.REPLIED}:
            target = Proposal.State.EVALUATED
        elif current == Proposal.State.EVALUATED and State.REHANDLING in states:
            target = Proposal.State.REHANDLING
        elif current == Proposal.State.EVALUATED and states == {State.CLOSED}:
            target = Proposal.State.CLOSED
        if target is None:
            break
        transition(proposal, to=target, actor=actor, verb=f"proposal_{target}")
    return proposal


def _deadlines(proposal: Proposal, role: str, assigned_on: datetime.date) -> dict:
    body = proposal.body
    objection = working_days_after(body, "objection_working_days", assigned_on)
    cap = months_after(body, "extension_max_months", assigned_on)
    fields = {
        "objection_due": objection.due,
        "objection_due_basis": objection.basis,
        "max_due": cap.due,
        "max_due_basis": cap.basis,
    }
    if role == Role.CO:
        opinion = months_after(body, "co_handler_opinion_months", assigned_on)
        fields.update(co_opinion_due=opinion.due, co_opinion_due_basis=opinion.basis)
    else:
        reply = months_after(body, "reply_months", assigned_on)
        fields.update(reply_due=reply.due, reply_due_basis=reply.basis)
    return fields


def _notify_units(assignments: Iterable[Assignment], *, kind: str, title: str, key: str, body: str = "") -> None:
    for assignment in assignments:
        notify(
            recipients=unit_officer_ids([assignment.unit_id]),
            kind=kind,
            title=title,
            body=body,
            dedupe_key=f"{key}:assignment-{assignment.pk}",
        )


def _assign_one(proposal: Proposal, units, *, actor, assigned_on: datetime.date) -> list[Assignment]:
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                proposal=proposal, unit=unit, role=role, assigned_on=assigned_on, assigned_by=actor,
                **_deadlines(proposal, role, assigned_on),
            )
            for unit, role in units
        ]
    )
    changes = {}
    if proposal.is_recess and proposal.intake_due and assigned_on > proposal.intake_due:
        changes["intake_late"] = True
    transition(
        proposal, to=Proposal.State.ASSIGNED, actor=actor, verb="assigned", changes=changes,
        data={"units": [{"unit": unit.pk, "role": role} for unit, role in units], "intake_late": bool(changes),
              "merge_group": proposal.merge_group_id},
    )
    for assignment in assignments:
        record_event(assignment, actor=actor, verb="assigned", to_state=assignment.state)
    return assignments


@transaction.atomic
def proposal_assign(
    *,
    actor,
    proposal: Proposal,
    lead_unit: Unit | None = None,
    co_units: Sequence[Unit] = (),
    split_units: Sequence[Unit] = (),
    assigned_on: datetime.date | None = None,
) -> list[Assignment]:
    """Assign an accepted proposal (交办): one lead unit with co-handlers, or split handling.

    Each assignment stores its deadlines with their basis: objection window (7 working days),
    reply (3 months) or co-handler opinion (2 months), and the 6-month cap on extensions. A
    recess proposal assigned after its intake deadline is flagged for staff. A merged proposal
    (并案) is assigned with every proposal of its group: each gets its own assignments to the
    same units, on the same day, with the same deadlines; the units are told once per group.
    """
    locked, members = lock_with_group(proposal)
    forbid_unless(permissions.can_assign(actor, locked))
    if locked.state != Proposal.State.ACCEPTED:
        raise IllegalTransition(from_state=locked.state, to_state=Proposal.State.ASSIGNED)
    for member in members:
        if member.state != Proposal.State.ACCEPTED:
            raise MergeRefused(
                _("No. %(number)s, merged with this proposal, is not accepted; accept or unmerge it first.")
                % {"number": member.number or member.title}
            )
    if bool(lead_unit) == bool(split_units) or (split_units and co_units):
        raise ValidationError(_("Assign either one lead unit (with any co-handlers) or two or more split units."))
    if split_units and len(split_units) < 2:
        raise ValidationError(_("Split handling needs at least two units."))
    units = [(lead_unit, Role.LEAD)] if lead_unit else []
    units += [(unit, Role.CO) for unit in co_units] + [(unit, Role.SPLIT) for unit in split_units]
    if len({unit.pk for unit, _role in units}) != len(units):
        raise ValidationError(_("A unit can appear only once."))
    assigned_on = assigned_on or today()
    created = {member.pk: _assign_one(member, units, actor=actor, assigned_on=assigned_on) for member in members}
    title = _("New assignment: %(title)s") % {"title": locked.title}
    if len(members) > 1:
        title = _("New assignment: %(title)s and %(count)s similar proposals handled together") % {
            "title": locked.title, "count": len(members) - 1,
        }
    _notify_units(created[locked.pk], kind="suggestions.assigned", key="assigned", title=title)
    assignments = created[locked.pk]
    proposal.refresh_from_db()
    return assignments


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal__body__region", "proposal__lead_deputy", "unit")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def assignment_accept(*, actor, assignment: Assignment) -> Assignment:
    """The unit takes the assignment on (it may still be moved by staff after an objection)."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_act_for_unit(actor, locked))
    for target in [locked, *merged_siblings(locked, states=(State.ASSIGNED,))]:
        transition(target, to=State.HANDLING, actor=actor, verb="accepted_by_unit", expected=State.ASSIGNED)
        advance_proposal(target.proposal, actor=actor)
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def assignment_object(*, actor, assignment: Assignment, reason: str, on: datetime.date | None = None) -> Objection:
    """A unit objects to an assignment with reasons, within the objection window (7 working days)."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_act_for_unit(actor, locked))
    if not reason.strip():
        raise ValidationError(_("Give the reasons for the objection."))
    on = on or today()
    if on > locked.objection_due:
        raise ObjectionTooLate(due=locked.objection_due.isoformat())
    transition(locked, to=State.OBJECTED, actor=actor, verb="objected", note=reason, expected=State.ASSIGNED)
    objection = Objection.objects.create(assignment=locked, reason=reason, raised_by=actor)
    notify(
        recipients=staff_ids(locked.proposal.body),
        kind="suggestions.objection",
        title=_("%(unit)s objects to an assignment: %(title)s") % {"unit": locked.unit, "title": locked.proposal.title},
        body=reason,
        dedupe_key=f"objection:{objection.pk}",
    )
    return objection


@transaction.atomic
def objection_refuse(*, actor, objection: Objection, note: str) -> Objection:
    """Staff keep the assignment with the objecting unit; the unit continues handling."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    locked = _lock_assignment(objection.assignment)
    forbid_unless(permissions.can_decide_for_body(actor, locked))
    if objection.decision != Objection.Decision.PENDING:
        raise IllegalTransition()
    transition(locked, to=State.HANDLING, actor=actor, verb="objection_refused", note=note, expected=State.OBJECTED)
    objection.decision, objection.decided_by, objection.decided_at = Objection.Decision.REFUSED, actor, timezone.now()
    objection.decision_note = note
    objection.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    _notify_units([locked], kind="suggestions.objection_refused", key=f"objection-refused-{objection.pk}",
                  title=_("Your objection was refused: %(title)s") % {"title": locked.proposal.title}, body=note)
    advance_proposal(locked.proposal, actor=actor)
    return objection


@transaction.atomic
def assignment_reassign(
    *, actor, assignment: Assignment, unit: Unit, note: str = "", assigned_on: datetime.date | None = None
) -> Assignment:
    """Move an assignment to another unit (after an objection, or on staff's own motion before
    handling starts). The new assignment's clocks start on the day of reassignment."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_decide_for_body(actor, locked))
    if unit.pk == locked.unit_id:
        raise ValidationError(_("Choose a different unit."))
    transition(
        locked, to=State.REASSIGNED, actor=actor, verb="reassigned", note=note,
        expected=(State.ASSIGNED, State.OBJECTED), data={"to_unit": unit.pk},
    )
    Objection.objects.filter(assignment=locked, decision=Objection.Decision.PENDING).update(
        decision=Objection.Decision.REASSIGNED, decided_by=actor, decided_at=timezone.now(), decision_note=note
    )
    assigned_on = assigned_on or today()
    new = Assignment.objects.create(
        proposal=locked.proposal, unit=unit, role=locked.role, assigned_on=assigned_on, assigned_by=actor,
        replaces=locked, **_deadlines(locked.proposal, locked.role, assigned_on),
    )
    record_event(new, actor=actor, verb="assigned", to_state=new.state, data={"replaces": locked.pk})
    record_event(locked.proposal, actor=actor, verb="reassigned", note=note,
                 data={"from_unit": locked.unit_id, "to_unit": unit.pk})
    _notify_units([new], kind="suggestions.assigned", key="assigned",
                  title=_("New assignment: %(title)s") % {"title": locked.proposal.title})
    return new


# ---- extensions ------------------------------------------------------------------------------


@transaction.atomic
def extension_request(*, actor, assignment: Assignment, requested_due: datetime.date, reason: str) -> Extension:
    """A unit asks for more time with reasons; the date may not pass the 6-month cap."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_act_for_unit(actor, locked))
    if not locked.answers or locked.state not in (State.ASSIGNED, State.HANDLING, State.REHANDLING):
        raise IllegalTransition(from_state=locked.state)
    if not reason.strip():
        raise ValidationError(_("Give the reasons for the extension."))
    if requested_due <= locked.reply_due:
        raise ValidationError(_("The requested date must be later than the current due date."))
    if requested_due > locked.max_due:
        raise ExtensionBeyondCap(max_due=locked.max_due.isoformat())
    if Extension.objects.filter(assignment=locked, state=Extension.State.REQUESTED).exists():
        raise IllegalTransition(_("An extension request is already pending."))
    extension = Extension.objects.create(
        assignment=locked, reason=reason, previous_due=locked.reply_due, requested_due=requested_due,
        requested_by=actor,
    )
    record_event(extension, actor=actor, verb="requested", to_state=extension.state)
    record_event(locked, actor=actor, verb="extension_requested", note=reason,
                 data={"requested_due": requested_due.isoformat()})
    notify(
        recipients=staff_ids(locked.proposal.body), kind="suggestions.extension_requested",
        title=_("Extension requested by %(unit)s: %(title)s") % {"unit": locked.unit, "title": locked.proposal.title},
        body=reason, dedupe_key=f"extension-requested:{extension.pk}",
    )
    return extension


def _extension_decide(*, actor, extension: Extension, approve: bool, note: str) -> Extension:
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    locked = _lock_assignment(extension.assignment)
    forbid_unless(permissions.can_decide_for_body(actor, locked))
    target = Extension.State.APPROVED if approve else Extension.State.REFUSED
    if approve and extension.requested_due > locked.max_due:
        # The cap is checked again: staff cannot approve past six months after assignment.
        raise ExtensionBeyondCap(max_due=locked.max_due.isoformat())
    transition(
        extension, to=target, actor=actor, verb=target, note=note,
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    if approve:
        basis = {
            "rule": "extension",
            "label": _("Extension approved"),
            "value": extension.requested_due.isoformat(),
            "unit": "days",
            "start": locked.assigned_on.isoformat(),
            "extension": extension.pk,
            "previous": locked.reply_due_basis,
            "cap": locked.max_due_basis,
        }
        Assignment.objects.filter(pk=locked.pk).update(
            reply_due=extension.requested_due, reply_due_basis=basis, is_extended=True
        )
        record_event(locked, actor=actor, verb="extended", note=note,
                     data={"from": extension.previous_due.isoformat(), "to": extension.requested_due.isoformat()})
        title = _("The reply deadline of “%(title)s” was extended to %(due)s") % {
            "title": locked.proposal.title, "due": extension.requested_due.isoformat()
        }
    else:
        record_event(locked, actor=actor, verb="extension_refused", note=note)
        title = _("The extension for “%(title)s” was refused") % {"title": locked.proposal.title}
    # The deputy is told either way (DESIGN §4), and so is the unit.
    notify(recipients=signer_user_ids(locked.proposal) + unit_officer_ids([locked.unit_id]),
           kind="suggestions.extension_decided", title=title, body=note, dedupe_key=f"extension-decided:{extension.pk}")
    return extension


@transaction.atomic
def extension_approve(*, actor, extension: Extension, note: str = "") -> Extension:
    return _extension_decide(actor=actor, extension=extension, approve=True, note=note)


@transaction.atomic
def extension_refuse(*, actor, extension: Extension, note: str) -> Extension:
    return _extension_decide(actor=actor, extension=extension, approve=False, note=note)


# ---- contacts, opinions, replies ---------------------------------------------------------------


@transaction.atomic
def contact_record(
    *, actor, assignment: Assignment, kind: str, contacted_on: datetime.date, people: str, content: str
) -> Contact:
    """Record a contact with the deputy (phone, visit, symposium, site visit, face-to-face).

    Recording the first contact means the unit has taken the assignment on. The contact counts in
    the lead deputy's duty record.
    """
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_act_for_unit(actor, locked))
    handling = (State.ASSIGNED, State.HANDLING, State.REHANDLING)
    if locked.state not in handling:
        raise IllegalTransition(from_state=locked.state)
    if contacted_on > today():
        raise ValidationError(_("A contact cannot be dated in the future."))
    contacts = [
        _contact_one(target, actor=actor, kind=kind, contacted_on=contacted_on, people=people, content=content)
        for target in [locked, *merged_siblings(locked, states=handling)]
    ]
    return contacts[0]


def _contact_one(locked: Assignment, *, actor, kind, contacted_on, people, content) -> Contact:
    contact = Contact.objects.create(
        assignment=locked, round=locked.round, kind=Contact.Kind(kind), contacted_on=contacted_on,
        people=people, content=content, recorded_by=actor,
    )
    if locked.state == State.ASSIGNED:
        transition(locked, to=State.HANDLING, actor=actor, verb="accepted_by_unit")
    record_event(locked, actor=actor, verb="contact_recorded", data={"contact": contact.pk, "kind": contact.kind})
    deputy = locked.proposal.lead_deputy
    if deputy.is_serving:
        record_duty_activity(
            deputy=deputy, kind=ActivityKind.OTHER, date=contacted_on, source_object=contact, actor=actor,
            title=_("Contact about proposal: %(title)s") % {"title": locked.proposal.title},
        )
    advance_proposal(locked.proposal, actor=actor)
    return contact


@transaction.atomic
def co_opinion_submit(*, actor, assignment: Assignment, text: str, document=None) -> CoHandlerOpinion:
    """A co-handling unit gives its opinion to the lead unit; its part ends there. For merged
    proposals (并案) one opinion covers the unit's part in every member."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_act_for_unit(actor, locked))
    if locked.role != Role.CO:
        raise IllegalTransition(from_state=locked.state)
    opinions = []
    for target in [locked, *merged_siblings(locked, states=(State.ASSIGNED, State.HANDLING))]:
        if target.state == State.ASSIGNED:
            transition(target, to=State.HANDLING, actor=actor, verb="accepted_by_unit")
        opinion = CoHandlerOpinion(assignment=target, text=text, submitted_by=actor)
        if opinions and opinions[0].document:
            opinion.document = opinions[0].document.name
        elif document is not None:
            from congress.uploads import validate_upload

            validate_upload(document)
            opinion.document.save(document.name, document, save=False)
        opinion.save()
        opinions.append(opinion)
        transition(target, to=State.CLOSED, actor=actor, verb="co_opinion_submitted", expected=State.HANDLING)
    opinion = opinions[0]
    lead = Assignment.objects.filter(proposal=locked.proposal, role=Role.LEAD).exclude(state=State.REASSIGNED).first()
    if lead is not None:
        _notify_units([lead], kind="suggestions.co_opinion", key=f"co-opinion-{opinion.pk}",
                      title=_("%(unit)s sent its opinion on “%(title)s”") % {"unit": locked.unit,
                                                                                "title": locked.proposal.title})
    return opinion


@transaction.atomic
def reply_submit(
    *,
    actor,
    assignment: Assignment,
    text: str,
    reply_class: ReplyClass,
    officer: str,
    document=None,
    commitments: Iterable[tuple[str, datetime.date]] = (),
    on: datetime.date | None = None,
) -> Reply:
    """Submit the unit's reply for the current round.

    Refused without a contact with the deputy in this round (`contact_required`), and for a class
    that promises future action (B, C) without at least one dated commitment
    (`commitment_required`). Starts the deputy's evaluation window (15 working days) and sends
    the reply to every signer.
    """
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_act_for_unit(actor, locked))
    if not locked.answers or locked.state not in (State.HANDLING, State.REHANDLING, State.ASSIGNED):
        raise IllegalTransition(from_state=locked.state, to_state=State.REPLIED)
    if reply_class.body_id != locked.proposal.body_id or not reply_class.is_active:
        raise ValidationError(_("Choose one of this congress’s reply classes."))
    if not Contact.objects.filter(assignment=locked, round=locked.round).exists():
        raise ContactRequired()
    commitments = [(commitment_text.strip(), due_on) for commitment_text, due_on in commitments if due_on]
    if reply_class.requires_commitment and not commitments:
        raise CommitmentRequired(reply_class=reply_class.code)
    on = on or today()
    replies = []
    for target in [locked, *merged_siblings(locked, states=(State.HANDLING, State.REHANDLING, State.ASSIGNED))]:
        # The group's reply is one text (and one signed file), recorded on every member's
        # assignment so each deputy receives it on their own proposal and rates it there.
        if not Contact.objects.filter(assignment=target, round=target.round).exists():
            raise ContactRequired()
        reply = Reply(
            assignment=target, round=target.round, text=text, reply_class=reply_class, officer=officer,
            submitted_by=actor,
        )
        if replies and replies[0].document:
            reply.document = replies[0].document.name
        elif document is not None:
            from congress.uploads import validate_upload

            validate_upload(document)
            reply.document.save(document.name, document, save=False)
        reply.save()
        replies.append(reply)
        _reply_recorded(target, reply, actor=actor, commitments=commitments, on=on)
    return replies[0]


def _reply_recorded(locked: Assignment, reply: Reply, *, actor, commitments, on: datetime.date) -> None:
    Commitment.objects.bulk_create(
        [Commitment(reply=reply, text=commitment_text, due_on=due_on) for commitment_text, due_on in commitments]
    )
    if locked.role == Role.LEAD:
        CoHandlerOpinion.objects.filter(
            assignment__proposal=locked.proposal, attached_to__isnull=True
        ).update(attached_to=reply)
    rating: Deadline = working_days_after(locked.proposal.body, "evaluation_working_days", on)
    transition(
        locked, to=State.REPLIED, actor=actor, verb="replied",
        changes={
            "replied_on": on,
            "rating_due": rating.due,
            "rating_due_basis": rating.basis,
            "rating_status": Assignment.RatingStatus.PENDING,
        },
        data={"reply": reply.pk, "class": reply.reply_class.code, "round": reply.round},
    )
    Proposal.objects.filter(pk=locked.proposal_id).update(outcome=reply.reply_class)
    advance_proposal(locked.proposal, actor=actor)
    _notify_reply(locked, reply, actor=actor, rating_due=rating.due)


def _notify_reply(assignment: Assignment, reply: Reply, *, actor, rating_due: datetime.date) -> None:
    """Every signer gets the reply; the lead deputy's copy carries a single-use rating link."""
    from suggestions.services.evaluation import rating_link_issue

    proposal = assignment.proposal
    message = {
        "kind": "suggestions.replied",
        "title": _("%(unit)s replied to “%(title)s”") % {"unit": assignment.unit, "title": proposal.title},
        "dedupe_key": f"replied:assignment-{assignment.pk}:round-{reply.round}",
    }
    lead_user_id = proposal.lead_deputy.user_id
    others = [user_id for user_id in signer_user_ids(proposal) if user_id != lead_user_id]
    notify(recipients=others, url=reverse("portal:suggestions:detail", args=[proposal.pk]), **message)
    if lead_user_id:
        _link, token = rating_link_issue(actor=actor, assignment=assignment)
        notify(
            recipients=[lead_user_id], url=reverse("portal:suggestions:rate_link", args=[token]),
            body=_("Please rate the handling by %(due)s.") % {"due": rating_due.isoformat()}, **message,
        )


@transaction.atomic
def commitment_fulfil(*, actor, commitment: Commitment, report: str) -> Commitment:
    """The unit reports a commitment fulfilled; the deputy is told and asked to rate it."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    assignment = _lock_assignment(commitment.reply.assignment)
    forbid_unless(permissions.can_act_for_unit(actor, assignment))
    if commitment.fulfilled_at is not None:
        raise IllegalTransition()
    commitment.fulfilled_at, commitment.report = timezone.now(), report
    commitment.save(update_fields=["fulfilled_at", "report"])
    record_event(assignment, actor=actor, verb="commitment_fulfilled", note=report, data={"commitment": commitment.pk})
    notify(recipients=signer_user_ids(assignment.proposal), kind="suggestions.commitment_fulfilled",
           title=_("A commitment on “%(title)s” was reported fulfilled") % {"title": assignment.proposal.title},
           body=report, dedupe_key=f"commitment-fulfilled:{commitment.pk}")
    return commitment


@transaction.atomic
def commitments_carry_over(*, actor, body, year: int) -> int:
    """At year end, unfulfilled commitments due in `year` carry into the next year's list."""
    if not permissions.is_staff_for(actor, body):
        forbid_unless(False)
    open_commitments = Commitment.objects.filter(
        reply__assignment__proposal__body=body, fulfilled_at__isnull=True, due_on__year__lte=year,
        carried_over_to_year__isnull=True,
    )
    ids = list(open_commitments.values_list("pk", flat=True))
    Commitment.objects.filter(pk__in=ids).update(carried_over_to_year=year + 1)
    return len(ids)


@transaction.atomic
def assignment_urge(*, actor, assignment: Assignment, note: str) -> Assignment:
    """Staff send an urging notice (督办) to the unit; it goes on the timeline."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_decide_for_body(actor, locked))
    if locked.state not in Assignment.ACTIVE_STATES:
        raise IllegalTransition(from_state=locked.state)
    event = record_event(locked, actor=actor, verb="urged", note=note)
    record_event(locked.proposal, actor=actor, verb="urged", note=note, data={"unit": locked.unit_id})
    notify(
        recipients=unit_officer_ids([locked.unit_id]), kind="suggestions.urged", urgent=True,
        title=_("Urging notice: %(title)s") % {"title": locked.proposal.title}, body=note,
        dedupe_key=f"urged:event-{event.pk}",
    )
    return locked
