"""The annual plan and its topics: draft, submit, adopt, publish, adjust; topic milestones."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body, Committee, Session, Unit
from congress.rules import days_before
from congress.workflow import record_event, transition
from supervision import permissions
from supervision.models import MILESTONES, AnnualPlan, PlanVersion, Topic, TopicKind
from supervision.services.common import forbid_unless

State = AnnualPlan.State


@transaction.atomic
def plan_create(*, actor, body: Body, year: int, title: str = "") -> AnnualPlan:
    forbid_unless(permissions.is_staff_for(actor, body))
    if AnnualPlan.objects.filter(body=body, year=year).exists():
        raise ValidationError({"year": _("This congress already has a plan for that year.")})
    plan = AnnualPlan.objects.create(
        body=body, year=year, title=title or _("Supervision plan of %(body)s for %(year)s") % {
            "body": body.standing_organ_name or body.name, "year": year},
    )
    record_event(plan, actor=actor, verb="drafted", to_state=plan.state)
    return plan


def _lock_editable(actor, plan: AnnualPlan) -> AnnualPlan:
    forbid_unless(permissions.can_edit_plan(actor, plan))
    locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_editable:
        raise ValidationError(_("The plan can only be changed while drafted or being adjusted."),
                              code="plan_not_editable")
    return locked


def _milestones(body: Body, meeting_date: datetime.date | None) -> dict:
    """The art. 15 milestones counted back from the meeting day, each with its basis."""
    changes = {"milestones_basis": {}}
    for name, rule in MILESTONES:
        if meeting_date is None:
            changes[f"{name}_due"] = None
            continue
        deadline = days_before(body, rule, meeting_date)
        changes[f"{name}_due"] = deadline.due
        changes["milestones_basis"][name] = deadline.basis
    return changes


def _check_topic_refs(plan, lead_committee, meeting, units, leader=None):
    if lead_committee is not None and lead_committee.body_id != plan.body_id:
        raise ValidationError({"lead_committee": _("The committee does not belong to this congress.")})
    if meeting is not None and meeting.term.body_id != plan.body_id:
        raise ValidationError({"meeting": _("The meeting is not one of this congress.")})
    for unit in units:
        if not unit.is_active:
            raise ValidationError({"supervised_units": _("%(unit)s is no longer active.") % {"unit": unit}})


@transaction.atomic
def topic_create(
    *, actor, plan: AnnualPlan, kind: str, title: str, description: str = "", lead_committee: Committee | None = None,
    supervised_units: Iterable[Unit] = (), meeting: Session | None = None, meeting_date: datetime.date | None = None,
    leader=None,
) -> Topic:
    """Add a topic to a drafted (or adjusting) plan; its milestones follow from the meeting date."""
    plan = _lock_editable(actor, plan)
    if kind not in TopicKind.values:
        raise ValidationError({"kind": _("Choose a kind of topic.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the topic a title.")})
    supervised_units = list(supervised_units)
    _check_topic_refs(plan, lead_committee, meeting, supervised_units)
    meeting_date = meeting.starts_on if meeting is not None else meeting_date
    topic = Topic.objects.create(
        plan=plan, kind=kind, title=title.strip()[:200], description=description, lead_committee=lead_committee,
        meeting=meeting, meeting_date=meeting_date, leader=leader, **_milestones(plan.body, meeting_date),
    )
    topic.supervised_units.set(supervised_units)
    record_event(topic, actor=actor, verb="created", to_state=topic.state)
    record_event(plan, actor=actor, verb="topic_added", data={"topic": topic.pk})
    return topic


@transaction.atomic
def topic_update(
    *, actor, topic: Topic, title: str | None = None, description: str | None = None,
    lead_committee: Committee | None = None, supervised_units: Iterable[Unit] | None = None, leader=None,
) -> Topic:
    plan = _lock_editable(actor, topic.plan)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    units = list(supervised_units) if supervised_units is not None else []
    _check_topic_refs(plan, lead_committee, None, units)
    fields = {"title": title, "description": description, "lead_committee": lead_committee, "leader": leader}
    changed = [name for name, value in fields.items() if value is not None]
    for name in changed:
        value = fields[name]
        setattr(topic, name, value.strip() if isinstance(value, str) else value)
    topic.save(update_fields=[*changed, "updated_at"])
    if supervised_units is not None:
        topic.supervised_units.set(units)
    record_event(topic, actor=actor, verb="updated", data={"fields": changed})
    return topic


@transaction.atomic
def topic_schedule(
    *, actor, topic: Topic, meeting: Session | None = None, meeting_date: datetime.date | None = None
) -> Topic:
    """Set the standing-committee meeting and recompute the milestones with their basis.

    Rescheduling is staff work at any time (a meeting moves); the old dates stay in the event."""
    forbid_unless(permissions.can_work_topic(actor, topic))
    _check_topic_refs(topic.plan, None, meeting, [])
    meeting_date = meeting.starts_on if meeting is not None else meeting_date
    before = {name: str(getattr(topic, f"{name}_due") or "") for name, _rule in MILESTONES}
    changes = {"meeting": meeting, "meeting_date": meeting_date, **_milestones(topic.plan.body, meeting_date)}
    Topic.objects.filter(pk=topic.pk).update(**changes, updated_at=timezone.now())
    topic.refresh_from_db()
    record_event(topic, actor=actor, verb="scheduled", data={"meeting_date": str(meeting_date or ""),
                                                              "previous": before})
    return topic


@transaction.atomic
def topic_milestone_done(*, actor, topic: Topic, milestone: str, on: datetime.date | None = None) -> Topic:
    """Record the day the report went out at one of the art. 15 milestones."""
    forbid_unless(permissions.can_work_topic(actor, topic))
    if milestone not in dict(MILESTONES):
        raise ValidationError({"milestone": _("Unknown milestone.")})
    on = on or timezone.localdate()
    Topic.objects.filter(pk=topic.pk).update(**{f"{milestone}_done": on}, updated_at=timezone.now())
    topic.refresh_from_db()
    due = getattr(topic, f"{milestone}_due")
    data = {"milestone": milestone, "on": str(on), "due": str(due or ""), "late": bool(due and on > due)}
    record_event(topic, actor=actor, verb="milestone_done", data=data)
    return topic


def topic_start(*, actor, topic: Topic) -> Topic:
    forbid_unless(permissions.can_work_topic(actor, topic))
    return transition(topic, to=Topic.State.IN_PROGRESS, actor=actor, verb="started")


def topic_mark_deliberated(*, actor, topic: Topic, note: str = "") -> Topic:
    forbid_unless(permissions.can_work_topic(actor, topic))
    return transition(topic, to=Topic.State.DELIBERATED, actor=actor, verb="deliberated", note=note)


def topic_close(*, actor, topic: Topic, note: str = "") -> Topic:
    forbid_unless(permissions.can_work_topic(actor, topic))
    return transition(topic, to=Topic.State.CLOSED, actor=actor, verb="closed", note=note)


@transaction.atomic
def topic_cancel(*, actor, topic: Topic, reason: str) -> Topic:
    """Drop a topic from the plan during an adjustment; the reason is the adjustment's."""
    _lock_editable(actor, topic.plan)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for dropping the topic.")})
    return transition(topic, to=Topic.State.CANCELLED, actor=actor, verb="cancelled", note=reason.strip())


# ---- the plan's own workflow ---------------------------------------------------------------


def plan_submit(*, actor, plan: AnnualPlan) -> AnnualPlan:
    """Submit the draft to the chairpersons' meeting."""
    forbid_unless(permissions.can_edit_plan(actor, plan))
    if not plan.topics.exclude(state=Topic.State.CANCELLED).exists():
        raise ValidationError(_("A plan needs at least one topic."))
    return transition(plan, to=State.SUBMITTED, actor=actor, verb="submitted", expected=State.DRAFTED)


def plan_return(*, actor, plan: AnnualPlan, note: str) -> AnnualPlan:
    """The chairpersons' meeting sends the draft back for changes."""
    forbid_unless(permissions.can_adopt_plan(actor, plan))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what should change.")})
    return transition(plan, to=State.DRAFTED, actor=actor, verb="returned", note=note, expected=State.SUBMITTED)


def plan_adopt(*, actor, plan: AnnualPlan, session: Session | None = None, on: datetime.date | None = None):
    forbid_unless(permissions.can_adopt_plan(actor, plan))
    if session is not None and session.term.body_id != plan.body_id:
        raise ValidationError({"session": _("The meeting is not one of this congress.")})
    on = on or (session.starts_on if session is not None else timezone.localdate())
    return transition(
        plan, to=State.ADOPTED, actor=actor, verb="adopted", expected=State.SUBMITTED,
        changes={"adopted_at_session": session, "adopted_on": on},
    )


def _snapshot(plan: AnnualPlan) -> list[dict]:
    topics = (
        plan.topics.exclude(state=Topic.State.CANCELLED)
        .select_related("lead_committee", "leader")
        .prefetch_related("supervised_units")
        .order_by("meeting_date", "pk")
    )
    return [
        {
            "id": topic.pk,
            "kind": topic.kind,
            "title": topic.title,
            "lead_committee": str(topic.lead_committee or ""),
            "units": [unit.name for unit in topic.supervised_units.all()],
            "meeting_date": str(topic.meeting_date or ""),
            "leader": topic.leader.display_name if topic.leader else "",
        }
        for topic in topics
    ]


@transaction.atomic
def plan_publish(*, actor, plan: AnnualPlan) -> AnnualPlan:
    """Publish the adopted plan, or the adjusted one: each publication is a new, kept version."""
    forbid_unless(permissions.can_edit_plan(actor, plan))
    locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    reason = locked.adjustment_reason if locked.state == State.ADJUSTING else ""
    number = locked.published_version + 1
    plan = transition(
        locked, to=State.PUBLISHED, actor=actor, verb="published", expected=(State.ADOPTED, State.ADJUSTING),
        changes={"published_version": number, "adjustment_reason": ""}, data={"version": number}, note=reason,
    )
    PlanVersion.objects.create(
        plan=plan, number=number, reason=reason, snapshot=_snapshot(plan), published_at=timezone.now(),
        published_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return plan


def plan_adjust(*, actor, plan: AnnualPlan, reason: str) -> AnnualPlan:
    """Reopen the published plan for an adjustment; the reason goes with the next version."""
    forbid_unless(permissions.can_edit_plan(actor, plan))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    return transition(
        plan, to=State.ADJUSTING, actor=actor, verb="adjusting", note=reason, expected=State.PUBLISHED,
        changes={"adjustment_reason": reason},
    )
