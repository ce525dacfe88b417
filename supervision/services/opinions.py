"""Deliberation opinions, implementation reports, the rectification ledger and follow-up checks:
the loop that runs until a satisfaction vote passes (votes are in `votes`, inquiries in `inquiries`)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Unit
from congress.notifications.services import notify
from congress.rules import months_after
from congress.uploads import validate_upload
from congress.workflow import record_event, transition
from supervision import permissions
from supervision.models import (
    DeliberationOpinion,
    FollowUpCheck,
    ImplementationReport,
    OpinionUnit,
    RectificationItem,
    Topic,
    WorkEvaluation,
)
from supervision.services.common import forbid_unless, today, unit_officer_ids

State = DeliberationOpinion.State


@transaction.atomic
def opinion_draft(*, actor, topic: Topic, title: str, text: str, units: Iterable[Unit]) -> DeliberationOpinion:
    forbid_unless(permissions.can_work_topic(actor, topic))
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Send the opinion to at least one unit.")})
    if not (title or "").strip() or not (text or "").strip():
        raise ValidationError(_("Give the opinion a title and its text."))
    opinion = DeliberationOpinion.objects.create(topic=topic, title=title.strip()[:200], text=text, created_by=actor)
    OpinionUnit.objects.bulk_create([OpinionUnit(opinion=opinion, unit=unit) for unit in units])
    record_event(opinion, actor=actor, verb="drafted", to_state=opinion.state)
    return opinion


def opinion_approve(*, actor, opinion: DeliberationOpinion) -> DeliberationOpinion:
    forbid_unless(permissions.can_approve_opinion(actor, opinion))
    return transition(opinion, to=State.APPROVED, actor=actor, verb="approved", expected=State.DRAFTED)


def _set_due_dates(opinion: DeliberationOpinion, start: datetime.date) -> datetime.date:
    """Every unit's implementation report for the current round is due the rule's months after
    `start`; the basis names the rule, the start and the round."""
    deadline = months_after(opinion.topic.plan.body, "implementation_report_months", start)
    basis = {**deadline.basis, "round": opinion.round}
    OpinionUnit.objects.filter(opinion=opinion).update(due_on=deadline.due, due_basis=basis)
    return deadline.due


def _notify_units(opinion: DeliberationOpinion, *, title: str, key: str) -> None:
    unit_ids = list(OpinionUnit.objects.filter(opinion=opinion).values_list("unit_id", flat=True))
    recipients = unit_officer_ids(unit_ids)
    if recipients:
        notify(recipients=recipients, kind="supervision.opinion", title=title, dedupe_key=key)


@transaction.atomic
def opinion_send(*, actor, opinion: DeliberationOpinion, on: datetime.date | None = None) -> DeliberationOpinion:
    """Send the approved opinion to its units; their implementation reports fall due."""
    forbid_unless(permissions.can_work_topic(actor, opinion.topic))
    on = on or today()
    opinion = transition(opinion, to=State.SENT, actor=actor, verb="sent", expected=State.APPROVED,
                         changes={"sent_on": on})
    due = _set_due_dates(opinion, on)
    _notify_units(
        opinion,
        title=_("Deliberation opinion “%(title)s”: report on its implementation by %(due)s")
        % {"title": opinion.title, "due": due},
        key=f"opinion-sent:{opinion.pk}",
    )
    return opinion


@transaction.atomic
def opinion_publish(*, actor, opinion: DeliberationOpinion) -> DeliberationOpinion:
    """Put a sent opinion on the public site (Supervision Law: opinions are made public); a second
    publication changes nothing."""
    forbid_unless(permissions.can_work_topic(actor, opinion.topic))
    if opinion.state in (State.DRAFTED, State.APPROVED):
        raise ValidationError(_("Only an opinion sent to the units can be published."), code="not_sent")
    if DeliberationOpinion.objects.filter(pk=opinion.pk, is_published=False).update(
        is_published=True, updated_at=timezone.now()
    ):
        record_event(opinion, actor=actor, verb="published", data={"round": opinion.round})
        record_event(opinion.topic, actor=actor, verb="opinion_published", data={"opinion": opinion.pk})
    opinion.is_published = True
    return opinion


@transaction.atomic
def implementation_report_submit(
    *, actor, opinion: DeliberationOpinion, unit: Unit, text: str, upload=None
) -> ImplementationReport:
    """A unit's report for the current round. When every unit has reported, the opinion is ready
    for the members' vote. The opinion row is locked so two units finishing at once count right."""
    forbid_unless(permissions.can_report_for_unit(actor, unit.pk))
    opinion = DeliberationOpinion.objects.select_for_update().select_related("topic__plan__body").get(pk=opinion.pk)
    if opinion.state not in DeliberationOpinion.AWAITING_REPORT:
        raise ValidationError(_("No implementation report is expected at this stage."), code="not_expected")
    if not OpinionUnit.objects.filter(opinion=opinion, unit=unit).exists():
        raise ValidationError(_("The opinion was not sent to this unit."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the report.")})
    if upload is not None:
        validate_upload(upload)
    try:
        with transaction.atomic():
            report = ImplementationReport.objects.create(
                opinion=opinion, unit=unit, round=opinion.round, text=text, file=upload or "",
                submitted_at=timezone.now(), submitted_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("Your unit has already reported for this round."), code="already_reported") from None
    record_event(opinion, actor=actor, verb="implementation_reported", data={"unit": unit.pk, "round": opinion.round})
    missing = OpinionUnit.objects.filter(opinion=opinion).exclude(
        unit_id__in=ImplementationReport.objects.filter(opinion=opinion, round=opinion.round).values("unit_id")
    )
    if not missing.exists():
        transition(opinion, to=State.REPORTED, actor=actor, verb="all_reported", data={"round": opinion.round})
    return report


# ---- the rectification ledger --------------------------------------------------------------


def _ledger_subject_body(opinion, evaluation):
    return (opinion.topic if opinion is not None else evaluation.topic).plan.body


@transaction.atomic
def rectification_item_add(
    *, actor, item: str, owner_unit: Unit, due_on: datetime.date, opinion: DeliberationOpinion | None = None,
    evaluation: WorkEvaluation | None = None,
) -> RectificationItem:
    """Add a line to the ledger of the current round: the office, or the owner unit itself."""
    if (opinion is None) == (evaluation is None):
        raise ValidationError(_("A ledger item belongs to one opinion or one evaluation."))
    body = _ledger_subject_body(opinion, evaluation)
    forbid_unless(permissions.is_staff_for(actor, body) or permissions.can_report_for_unit(actor, owner_unit.pk))
    if not (item or "").strip():
        raise ValidationError({"item": _("Describe the item.")})
    subject = opinion or evaluation
    row = RectificationItem.objects.create(
        opinion=opinion, evaluation=evaluation, round=subject.round, item=item.strip(), owner_unit=owner_unit,
        due_on=due_on,
    )
    record_event(subject, actor=actor, verb="ledger_item_added", data={"item": row.pk, "round": row.round})
    return row


@transaction.atomic
def rectification_item_update(
    *, actor, item: RectificationItem, status: str, progress: str = ""
) -> RectificationItem:
    """The owner unit (or the office) reports progress on a ledger line."""
    body = _ledger_subject_body(item.opinion, item.evaluation)
    forbid_unless(permissions.is_staff_for(actor, body) or permissions.can_report_for_unit(actor, item.owner_unit_id))
    if status not in RectificationItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    previous = item.status
    item.status = status
    item.progress = progress or item.progress
    item.done_on = today() if status == RectificationItem.Status.DONE else None
    item.save(update_fields=["status", "progress", "done_on", "updated_at"])
    record_event(item, actor=actor, verb="ledger_item_updated", from_state=previous, to_state=status, note=progress)
    return item


# ---- follow-up checks (回头看) ----------------------------------------------------------------


@transaction.atomic
def follow_up_schedule(*, actor, opinion: DeliberationOpinion, on: datetime.date) -> FollowUpCheck:
    forbid_unless(permissions.can_work_topic(actor, opinion.topic))
    if opinion.state != State.PASSED:
        raise ValidationError(_("Follow-up checks are scheduled on passed opinions."))
    check = FollowUpCheck.objects.create(opinion=opinion, scheduled_on=on)
    record_event(opinion, actor=actor, verb="follow_up_scheduled", data={"check": check.pk, "on": str(on)})
    return check


def follow_up_record(*, actor, check: FollowUpCheck, findings: str) -> FollowUpCheck:
    forbid_unless(permissions.can_work_topic(actor, check.opinion.topic))
    if not (findings or "").strip():
        raise ValidationError({"findings": _("Record what the check found.")})
    return transition(check, to=FollowUpCheck.State.DONE, actor=actor, verb="done", note=findings,
                      changes={"findings": findings.strip(), "done_on": today()})
