"""Writes to the duty record: automatic, staff-entered and self-reported activities, attendance,
the score rules and theme years.

`record_duty_activity()` is the entry point for the other apps: a filed suggestion, a served
station shift or a voter report calls it with the object that caused it, and calling it again for
the same object changes nothing.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body, RoleGrant
from congress.models.accounts import Role
from congress.notifications.services import notify
from congress.rules import rules_for
from congress.workflow import record_event, transition
from deputies import permissions
from deputies.models import ActivityKind, Deputy, DutyActivity, DutyParticipation, ScoreRule, ThemeYear
from deputies.services.roster import _check_fields

Attendance = DutyParticipation.Attendance

# Attendance at meetings and proposals filed are recorded by staff or by the other apps, never
# self-reported.
SELF_REPORTABLE_KINDS = frozenset(set(ActivityKind) - {
    ActivityKind.SESSION, ActivityKind.STANDING_COMMITTEE, ActivityKind.SUGGESTION, ActivityKind.MOTION,
})


# ---- duty activities -----------------------------------------------------------------------


def _check_participant(activity_body: Body, deputy: Deputy) -> None:
    if deputy.body_id != activity_body.pk:
        raise ValidationError(
            _("%(deputy)s is not a deputy of %(body)s.") % {"deputy": deputy, "body": activity_body}
        )


@transaction.atomic
def record_duty_activity(
    *,
    deputy: Deputy,
    kind: str,
    date: datetime.date,
    title: str,
    source_object=None,
    actor=None,
    body: Body | None = None,
    points_override: int | None = None,
    attendance: str = Attendance.PRESENT,
) -> DutyActivity:
    """Record that `deputy` took part in an activity caused by `source_object`, once.

    The activity is keyed by (congress, kind, source object) and the participation by (activity,
    deputy), both under unique constraints, so a repeated call, a retried task or two racing
    workers leave exactly one activity and one participation. Co-signers of one suggestion share
    the activity. Without a source object every call records a new activity.
    """
    kind = ActivityKind(kind)
    body = body or deputy.body
    _check_participant(body, deputy)
    defaults = {
        "title": title[:200],
        "date": date,
        "source": DutyActivity.Source.AUTOMATIC,
        "state": DutyActivity.State.VERIFIED,
        "points_override": points_override,
        "verified_at": timezone.now(),
    }
    if source_object is not None:
        activity, created = DutyActivity.objects.get_or_create(
            body=body,
            kind=kind,
            source_content_type=ContentType.objects.get_for_model(source_object, for_concrete_model=False),
            source_object_id=str(source_object.pk),
            defaults=defaults,
        )
    else:
        activity, created = DutyActivity.objects.create(body=body, kind=kind, **defaults), True
    if created:
        record_event(activity, actor=actor, verb="recorded", to_state=activity.state)
    _participation, added = DutyParticipation.objects.get_or_create(
        activity=activity, deputy=deputy, defaults={"attendance": attendance}
    )
    if added:
        record_event(activity, actor=actor, verb="participant_added", data={"deputy": deputy.pk})
        if kind == ActivityKind.SESSION and attendance == Attendance.ABSENT:
            _alert_unexcused_absences(body, [deputy.pk])
    return activity


@transaction.atomic
def activity_create(
    *,
    actor,
    body: Body,
    kind: str,
    date: datetime.date,
    title: str,
    participants: Mapping[Deputy, str] | Iterable[Deputy],
    description: str = "",
    place: str = "",
    theme_year: ThemeYear | None = None,
    session=None,
    points_override: int | None = None,
) -> DutyActivity:
    """Staff enter an activity with its participants and their attendance; it counts at once.

    `participants` maps each deputy to an attendance (a plain iterable means all present).
    """
    if not permissions.can_manage_deputies(actor, body):
        raise PermissionDenied
    kind = ActivityKind(kind)
    attendance = (
        dict(participants) if isinstance(participants, Mapping) else dict.fromkeys(participants, Attendance.PRESENT)
    )
    if not attendance:
        raise ValidationError({"participants": _("Name at least one participant.")})
    for deputy, value in attendance.items():
        _check_participant(body, deputy)
        Attendance(value)
    if theme_year is not None and theme_year.body_id != body.pk:
        raise ValidationError({"theme_year": _("The theme year belongs to another congress.")})
    activity = DutyActivity.objects.create(
        body=body, kind=kind, date=date, title=title, description=description, place=place,
        theme_year=theme_year, session=session, points_override=points_override,
        source=DutyActivity.Source.STAFF, state=DutyActivity.State.VERIFIED,
        reported_by=actor, verified_by=actor, verified_at=timezone.now(),
    )
    DutyParticipation.objects.bulk_create(
        DutyParticipation(activity=activity, deputy=deputy, attendance=value) for deputy, value in attendance.items()
    )
    record_event(
        activity, actor=actor, verb="created", to_state=activity.state,
        data={"participants": {str(deputy.pk): value for deputy, value in attendance.items()}},
    )
    if kind == ActivityKind.SESSION:
        _alert_unexcused_absences(body, [d.pk for d, value in attendance.items() if value == Attendance.ABSENT])
    return activity


@transaction.atomic
def participation_set_attendance(
    *, actor, participation: DutyParticipation, attendance: str, note: str = ""
) -> DutyParticipation:
    """Correct one participant's attendance, e.g. leave approved after the meeting."""
    participation = DutyParticipation.objects.select_for_update().select_related("activity__body").get(
        pk=participation.pk
    )
    activity = participation.activity
    if not permissions.can_manage_deputies(actor, activity.body):
        raise PermissionDenied
    attendance = Attendance(attendance)
    before = participation.attendance
    if before == attendance:
        return participation
    participation.attendance = attendance
    participation.note = note
    participation.save(update_fields=["attendance", "note", "updated_at"])
    record_event(
        activity, actor=actor, verb="attendance_changed", from_state=before, to_state=attendance, note=note,
        data={"deputy": participation.deputy_id},
    )
    if activity.kind == ActivityKind.SESSION and attendance == Attendance.ABSENT:
        _alert_unexcused_absences(activity.body, [participation.deputy_id])
    return participation


def _staff_recipients(body: Body) -> list[int]:
    """Staff who keep the congress's roster: its staff and, for a township congress, the town's officers."""
    scope = Q(role__in=[Role.STAFF_ADMIN, Role.STAFF_CLERK], body=body)
    if not body.is_district:
        scope |= Q(role=Role.TOWNSHIP_OFFICER, region=body.region)
    return sorted(
        set(RoleGrant.objects.active().filter(scope, user__is_active=True).values_list("user_id", flat=True))
    )


def _alert_unexcused_absences(body: Body, deputy_ids: Iterable[int]) -> None:
    """Tell staff when a deputy reaches the unexcused-absence threshold for congress sessions.

    Two absences from the congress's sessions without approved leave end a mandate (Deputies
    Law art. 62 as DESIGN §3 cites it), so staff must act before that. The dedupe key makes the
    alert once per deputy and threshold, however often attendance is edited afterwards.
    """
    deputy_ids = list(deputy_ids)
    if not deputy_ids:
        return
    threshold = rules_for(body).unexcused_absence_alert
    reached = (
        DutyParticipation.objects.filter(
            deputy_id__in=deputy_ids,
            attendance=Attendance.ABSENT,
            activity__kind=ActivityKind.SESSION,
            activity__state=DutyActivity.State.VERIFIED,
        )
        .values("deputy_id")
        .annotate(absences=Count("pk"))
        .filter(absences__gte=threshold)
    )
    counts = {row["deputy_id"]: row["absences"] for row in reached}
    if not counts:
        return
    recipients = _staff_recipients(body)
    for deputy in Deputy.objects.filter(pk__in=counts):
        notify(
            recipients=recipients,
            kind="deputies.unexcused_absence",
            title=_("%(deputy)s has missed %(count)s congress sessions without leave")
            % {"deputy": deputy.name, "count": counts[deputy.pk]},
            body=_("The Deputies Law ends a mandate after two unexcused absences from the congress's sessions."),
            urgent=True,
            dedupe_key=f"deputies.unexcused_absence:{deputy.pk}:{threshold}",
        )


@transaction.atomic
def activity_self_report(
    *,
    actor,
    deputy: Deputy,
    kind: str,
    date: datetime.date,
    title: str,
    description: str = "",
    place: str = "",
    attachment=None,
    theme_year: ThemeYear | None = None,
) -> DutyActivity:
    """A deputy reports an activity from the portal; it counts only once staff verify it."""
    if not permissions.can_report_activity(actor, deputy):
        raise PermissionDenied
    kind = ActivityKind(kind)
    if kind not in SELF_REPORTABLE_KINDS:
        raise ValidationError({"kind": _("This kind of activity is recorded by staff.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if theme_year is not None and theme_year.body_id != deputy.body_id:
        raise ValidationError({"theme_year": _("The theme year belongs to another congress.")})
    activity = DutyActivity.objects.create(
        body=deputy.body, kind=kind, date=date, title=title, description=description, place=place,
        theme_year=theme_year, source=DutyActivity.Source.SELF_REPORTED, state=DutyActivity.State.PENDING,
        reported_by=actor, **({"attachment": attachment} if attachment else {}),
    )
    DutyParticipation.objects.create(activity=activity, deputy=deputy, attendance=Attendance.PRESENT)
    record_event(activity, actor=actor, verb="reported", to_state=activity.state)
    return activity


def activity_verify(*, actor, activity: DutyActivity, note: str = "") -> DutyActivity:
    return transition(
        activity,
        to=DutyActivity.State.VERIFIED,
        actor=actor,
        verb="verified",
        note=note,
        allowed=permissions.can_verify_activity,
        changes={"verified_by": actor, "verified_at": timezone.now(), "rejection_reason": ""},
    )


@transaction.atomic
def activity_reject(*, actor, activity: DutyActivity, reason: str) -> DutyActivity:
    """Refuse a self-reported activity with a reason, which the deputy is told."""
    if not reason.strip():
        raise ValidationError({"reason": _("A reason is required.")})
    activity = transition(
        activity,
        to=DutyActivity.State.REJECTED,
        actor=actor,
        verb="rejected",
        note=reason,
        allowed=permissions.can_verify_activity,
        changes={"rejection_reason": reason, "verified_by": actor, "verified_at": timezone.now()},
    )
    if activity.reported_by_id is not None:
        notify(
            recipients=[activity.reported_by_id],
            kind="deputies.activity_rejected",
            title=_("Your activity report “%(title)s” was not accepted") % {"title": activity.title},
            body=reason,
        )
    return activity


def activity_resubmit(*, actor, activity: DutyActivity, **changes) -> DutyActivity:
    """The reporting deputy corrects a rejected report and sends it for verification again."""
    _check_fields(changes, {"title", "description", "place", "date", "kind"})
    if "kind" in changes and ActivityKind(changes["kind"]) not in SELF_REPORTABLE_KINDS:
        raise ValidationError({"kind": _("This kind of activity is recorded by staff.")})
    return transition(
        activity,
        to=DutyActivity.State.PENDING,
        actor=actor,
        verb="resubmitted",
        allowed=lambda user, locked: locked.reported_by_id == user.pk,
        changes={**changes, "rejection_reason": "", "verified_by": None, "verified_at": None},
    )


# ---- score rules and theme years -----------------------------------------------------------


@transaction.atomic
def score_rule_set(*, actor, body: Body, kind: str, points: int, yearly_cap: int | None) -> ScoreRule:
    """Set a kind's points and yearly cap; every score is computed from the rules on read."""
    if not permissions.can_manage_score_rules(actor, body):
        raise PermissionDenied
    kind = ActivityKind(kind)
    if points < 0 or (yearly_cap is not None and yearly_cap < points):
        raise ValidationError(_("Points must be positive and the cap at least one activity's points."))
    rule, created = ScoreRule.objects.update_or_create(
        body=body, kind=kind, defaults={"points": points, "yearly_cap": yearly_cap}
    )
    record_event(
        rule, actor=actor, verb="created" if created else "updated",
        data={"points": points, "yearly_cap": yearly_cap},
    )
    return rule


@transaction.atomic
def theme_year_create(*, actor, body: Body, year: int, name: str, description: str = "") -> ThemeYear:
    if not permissions.can_manage_deputies(actor, body):
        raise PermissionDenied
    theme = ThemeYear(body=body, year=year, name=name, description=description)
    theme.full_clean()
    theme.save()
    record_event(theme, actor=actor, verb="created")
    return theme
