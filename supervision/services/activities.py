"""A topic's activities (research, symposiums, inspections) and the units' work reports."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.images import validate_photo
from congress.models import Region, Unit
from congress.uploads import validate_upload
from congress.workflow import record_event
from deputies.models import ActivityKind, Deputy
from deputies.services import record_duty_activity
from supervision import permissions
from supervision.models import ActivityPhoto, SupervisionActivity, Topic, TopicKind, UnitReport
from supervision.services.common import forbid_unless

Kind = SupervisionActivity.Kind

DUTY_KIND = {
    Kind.RESEARCH: ActivityKind.RESEARCH,
    Kind.INSPECTION: ActivityKind.INSPECTION,
    Kind.LAW_ENFORCEMENT: ActivityKind.LAW_ENFORCEMENT,
}


def duty_kind(activity: SupervisionActivity) -> str:
    """The deputies' duty-record kind of an activity: a symposium of a work evaluation counts as
    work evaluation, any other symposium as research."""
    if activity.kind == Kind.SYMPOSIUM:
        evaluation = activity.topic.kind == TopicKind.WORK_EVALUATION
        return ActivityKind.WORK_EVALUATION if evaluation else ActivityKind.RESEARCH
    return DUTY_KIND[activity.kind]


def _record_participation(actor, activity: SupervisionActivity, deputies: Iterable[Deputy]) -> None:
    """Each deputy's participation becomes a duty activity, keyed by this activity: calling it again
    (a participant added later, a retried request) records nothing twice."""
    kind = duty_kind(activity)
    for deputy in deputies:
        if deputy.is_serving:
            record_duty_activity(
                deputy=deputy, kind=kind, date=activity.date, title=activity.title, source_object=activity, actor=actor
            )


@transaction.atomic
def activity_record(
    *, actor, topic: Topic, kind: str, title: str, date: datetime.date, place: Region | None = None, venue: str = "",
    members: Iterable = (), deputies: Iterable[Deputy] = (), units: Iterable[Unit] = (), notes: str = "",
) -> SupervisionActivity:
    forbid_unless(permissions.can_work_topic(actor, topic))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind of activity.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the activity a title.")})
    if place is not None and not place.path.startswith(topic.plan.body.region.path):
        raise ValidationError({"place": _("The place is outside the congress’s region.")})
    activity = SupervisionActivity.objects.create(
        topic=topic, kind=kind, title=title.strip()[:200], date=date, place=place, venue=venue, notes=notes,
        created_by=actor,
    )
    deputies = list(deputies)
    activity.members.set(list(members))
    activity.deputies.set(deputies)
    activity.units.set(list(units))
    record_event(activity, actor=actor, verb="recorded")
    record_event(topic, actor=actor, verb="activity_recorded", data={"activity": activity.pk, "kind": kind})
    _record_participation(actor, activity, deputies)
    return activity


@transaction.atomic
def activity_add_deputies(*, actor, activity: SupervisionActivity, deputies: Iterable[Deputy]) -> SupervisionActivity:
    forbid_unless(permissions.can_work_topic(actor, activity.topic))
    deputies = list(deputies)
    activity.deputies.add(*deputies)
    record_event(activity, actor=actor, verb="participants_added", data={"deputies": [d.pk for d in deputies]})
    _record_participation(actor, activity, deputies)
    return activity


@transaction.atomic
def activity_add_photo(*, actor, activity: SupervisionActivity, upload, caption: str = "") -> ActivityPhoto:
    forbid_unless(permissions.can_work_topic(actor, activity.topic))
    validate_photo(upload)  # JPEG, PNG or WebP by its bytes, at most 5 MB (SECURITY S16)
    photo = ActivityPhoto.objects.create(activity=activity, image=upload, caption=caption[:200])
    record_event(activity, actor=actor, verb="photo_added", data={"photo": photo.pk})
    return photo


@transaction.atomic
def unit_report_submit(
    *, actor, topic: Topic, unit: Unit, title: str, text: str = "", upload=None
) -> UnitReport:
    """The supervised unit's special work report, uploaded by one of its officers."""
    forbid_unless(permissions.can_report_for_unit(actor, unit.pk))
    if not topic.supervised_units.filter(pk=unit.pk).exists():
        raise ValidationError(_("This unit is not supervised on this topic."))
    if upload is not None:
        validate_upload(upload)
    if not (title or "").strip() or (upload is None and not (text or "").strip()):
        raise ValidationError(_("Give the report a title and its text or file."))
    report = UnitReport.objects.create(
        topic=topic, unit=unit, title=title.strip()[:200], text=text or "", file=upload or "",
        submitted_at=timezone.now(), submitted_by=actor,
    )
    record_event(topic, actor=actor, verb="unit_report_submitted", data={"report": report.pk, "unit": unit.pk})
    return report
