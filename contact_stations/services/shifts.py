"""Rosters and duty shifts: generating a year of reception days, announcing them, check-in, and
closing a shift with its visitors, which records the deputies' duty activity."""

import calendar as stdlib_calendar
import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import calendar
from congress.models.accounts import Role
from congress.notifications.services import notify
from congress.rules import rules_for
from congress.workflow import record_event, transition
from contact_stations import permissions
from contact_stations.models import DutyShift, RosterRule, ShiftDuty, ShiftKind, Station
from contact_stations.services.common import GrantIndex
from deputies.models import ActivityKind, Deputy
from deputies.services import record_duty_activity

State = DutyShift.State


def _check_deputies(station: Station, deputies: Iterable[Deputy]) -> list[Deputy]:
    deputies = list(deputies)
    for deputy in deputies:
        if not deputy.is_serving:
            raise ValidationError(_("%(deputy)s is not a serving deputy.") % {"deputy": deputy})
        if not station.region.path.startswith(deputy.body.region.path) and not deputy.body.region.path.startswith(
            station.region.path
        ):
            raise ValidationError(
                _("%(deputy)s belongs to a congress outside this station’s region.") % {"deputy": deputy}
            )
    return deputies


# ---- roster rules and generation -----------------------------------------------------------


@transaction.atomic
def roster_rule_create(
    *,
    actor,
    station: Station,
    start_time: datetime.time,
    end_time: datetime.time,
    kind: str = ShiftKind.RECEPTION,
    day_of_month: int | None = None,
    explicit_dates: Iterable[datetime.date] = (),
    move_off_days: bool = False,
    deputies: Iterable[Deputy] = (),
) -> RosterRule:
    """A recurring reception day ("the 25th of each month") or a list of dates for a station."""
    if not permissions.can_manage_station(actor, station):
        raise PermissionDenied
    explicit_dates = sorted(set(explicit_dates))
    if bool(day_of_month) == bool(explicit_dates):
        raise ValidationError(_("Give either a day of the month or a list of dates."))
    rule = RosterRule(
        station=station,
        kind=kind,
        day_of_month=day_of_month,
        explicit_dates=[day.isoformat() for day in explicit_dates],
        move_off_days=move_off_days,
        start_time=start_time,
        end_time=end_time,
    )
    rule.full_clean()
    rule.save()
    rule.deputies.set(_check_deputies(station, deputies))
    record_event(station, actor=actor, verb="roster_rule_created", data={"rule": rule.pk, "rule_text": str(rule)})
    return rule


def roster_dates(rule: RosterRule, year: int) -> list[datetime.date]:
    """The days a rule yields in `year`, moved off days off when the rule says so."""
    if rule.day_of_month:
        days = [
            datetime.date(year, month, min(rule.day_of_month, stdlib_calendar.monthrange(year, month)[1]))
            for month in range(1, 13)
        ]
    else:
        days = [datetime.date.fromisoformat(value) for value in rule.explicit_dates]
        days = [day for day in days if day.year == year]
    if rule.move_off_days:
        # The next working day on or after `day`: one working day after the day before it.
        days = [
            day if calendar.is_working_day(day) else calendar.add_working_days(day - datetime.timedelta(days=1), 1)
            for day in days
        ]
    return sorted(set(days))


@transaction.atomic
def shifts_generate(*, actor, rule: RosterRule, year: int, today: datetime.date | None = None) -> list[DutyShift]:
    """Create the rule's shifts for `year` from today on; returns only the shifts it created.

    Idempotent: the rule row is locked while generating (two runs serialise) and a shift is keyed
    by (rule, date) under a unique constraint, so a second run, or a run after the keeper edited
    a shift, adds and changes nothing for the dates that exist.
    """
    if actor is not None and not permissions.can_manage_station(actor, rule.station):
        raise PermissionDenied
    today = today or timezone.localdate()
    rule = RosterRule.objects.select_for_update().select_related("station").get(pk=rule.pk)
    if not rule.is_active:
        return []
    wanted = [day for day in roster_dates(rule, year) if day >= today]
    existing = set(rule.shifts.filter(date__in=wanted).values_list("date", flat=True))
    created = DutyShift.objects.bulk_create(
        [
            DutyShift(
                station=rule.station,
                roster_rule=rule,
                kind=rule.kind,
                date=day,
                start_time=rule.start_time,
                end_time=rule.end_time,
            )
            for day in wanted
            if day not in existing
        ]
    )
    if not created:
        return []
    if created[0].pk is None:  # backends that return no ids from a bulk insert
        created = list(rule.shifts.filter(date__in=[shift.date for shift in created]))
    deputy_ids = list(rule.deputies.values_list("pk", flat=True))
    ShiftDuty.objects.bulk_create(
        [ShiftDuty(shift_id=shift.pk, deputy_id=deputy_id) for shift in created for deputy_id in deputy_ids]
    )
    record_event(
        rule.station,
        actor=actor,
        verb="shifts_generated",
        data={"rule": rule.pk, "year": year, "dates": [shift.date.isoformat() for shift in created]},
    )
    return created


@transaction.atomic
def shift_create(
    *,
    actor,
    station: Station,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    kind: str = ShiftKind.RECEPTION,
    deputies: Iterable[Deputy] = (),
    visiting_leader=None,
    note: str = "",
) -> DutyShift:
    """A one-off shift outside the roster, e.g. a leaders' visit (领导进室站)."""
    if not permissions.can_run_shift(actor, station):
        raise PermissionDenied
    shift = DutyShift(
        station=station, kind=kind, date=date, start_time=start_time, end_time=end_time,
        visiting_leader=visiting_leader, note=note,
    )
    shift.full_clean()
    shift.save()
    ShiftDuty.objects.bulk_create(
        [ShiftDuty(shift=shift, deputy=deputy) for deputy in _check_deputies(station, deputies)]
    )
    record_event(shift, actor=actor, verb="created", to_state=shift.state)
    return shift


@transaction.atomic
def shift_set_deputies(*, actor, shift: DutyShift, deputies: Iterable[Deputy]) -> DutyShift:
    """Change who is on duty before the shift is held; deputies already checked in stay."""
    if not permissions.can_run_shift(actor, shift.station):
        raise PermissionDenied
    shift = DutyShift.objects.select_for_update().select_related("station__region").get(pk=shift.pk)
    if shift.state not in (State.PLANNED, State.PUBLISHED):
        raise ValidationError(_("The deputies on duty cannot change after the shift is held or cancelled."))
    wanted = {deputy.pk for deputy in _check_deputies(shift.station, deputies)}
    current = set(shift.duties.values_list("deputy_id", flat=True))
    shift.duties.filter(deputy_id__in=current - wanted, checked_in_at__isnull=True).delete()
    ShiftDuty.objects.bulk_create([ShiftDuty(shift=shift, deputy_id=pk) for pk in wanted - current])
    record_event(shift, actor=actor, verb="deputies_changed", data={"deputies": sorted(wanted)})
    if shift.state == State.PUBLISHED:
        _notify_deputies_of_notice(shift, deputy_ids=wanted - current)
    return shift


# ---- announcing ------------------------------------------------------------------------------


def _notify_deputies_of_notice(shift: DutyShift, *, deputy_ids=None) -> None:
    duties = shift.duties.select_related("deputy")
    if deputy_ids is not None:
        duties = duties.filter(deputy_id__in=deputy_ids)
    users = [duty.deputy.user_id for duty in duties if duty.deputy.user_id]
    if not users:
        return
    notify(
        recipients=users,
        kind="shift_notice",
        title=_("You are on duty at %(station)s on %(date)s, %(start)s–%(end)s")
        % {
            "station": shift.station.name,
            "date": shift.date.isoformat(),
            "start": shift.start_time.strftime("%H:%M"),
            "end": shift.end_time.strftime("%H:%M"),
        },
        # The date is part of the key: a shift moved to another day is announced again.
        dedupe_key=f"shift-notice:{shift.pk}:{shift.date.isoformat()}",
    )


def shift_publish(*, actor, shift: DutyShift, today: datetime.date | None = None) -> DutyShift:
    """Announce a shift publicly and to its deputies, at least `shift_notice_days` ahead."""
    today = today or timezone.localdate()
    with transaction.atomic():
        notice_days = rules_for(shift.station.body).shift_notice_days
        if (shift.date - today).days < notice_days:
            raise ValidationError(
                _("A reception day must be announced at least %(days)s days ahead.") % {"days": notice_days}
            )
        if shift.kind == ShiftKind.RECEPTION and not shift.duties.exists():
            raise ValidationError(_("Name the deputies on duty before announcing the reception day."))
        transition(
            shift,
            to=State.PUBLISHED,
            actor=actor,
            verb="published",
            expected=State.PLANNED,
            allowed=lambda user, locked: actor is None or permissions.can_run_shift(user, locked.station),
            changes={"notice_published_on": today},
        )
        _notify_deputies_of_notice(shift)
    return shift


def shift_cancel(*, actor, shift: DutyShift, reason: str) -> DutyShift:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    with transaction.atomic():
        transition(
            shift,
            to=State.CANCELLED,
            actor=actor,
            verb="cancelled",
            note=reason,
            allowed=lambda user, locked: permissions.can_run_shift(user, locked.station),
            changes={"cancel_reason": reason},
        )
        users = [duty.deputy.user_id for duty in shift.duties.select_related("deputy") if duty.deputy.user_id]
        if users and shift.state == State.CANCELLED and shift.notice_published_on:
            notify(
                recipients=users,
                kind="shift_cancelled",
                title=_("The reception day at %(station)s on %(date)s is cancelled")
                % {"station": shift.station.name, "date": shift.date.isoformat()},
                dedupe_key=f"shift-cancelled:{shift.pk}",
            )
    return shift


# ---- the day itself --------------------------------------------------------------------------


@transaction.atomic
def shift_check_in(*, actor, shift: DutyShift, deputy: Deputy, now: datetime.datetime | None = None) -> ShiftDuty:
    """Check a deputy in: the keeper on the day or afterwards, the deputy themself on the day.

    Checking in twice keeps the first time (a conditional update, so a double tap is harmless).
    """
    now = now or timezone.now()
    duty = ShiftDuty.objects.select_related("shift__station__region", "deputy").get(shift=shift, deputy=deputy)
    shift = duty.shift
    if not permissions.can_check_in(actor, shift, duty):
        raise PermissionDenied
    if shift.state != State.PUBLISHED:
        raise ValidationError(_("Only an announced shift that has not been closed takes check-ins."))
    day = timezone.localdate(now)
    if day < shift.date or (day != shift.date and not permissions.can_run_shift(actor, shift.station)):
        raise ValidationError(_("Deputies check in on the day of the shift."))
    updated = ShiftDuty.objects.filter(pk=duty.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_by=actor, no_show=False
    )
    if updated:
        record_event(shift, actor=actor, verb="checked_in", data={"deputy": deputy.pk})
        duty.refresh_from_db()
    return duty


def _reception_title(shift: DutyShift) -> str:
    return _("Reception at %(station)s") % {"station": shift.station.name}


def shift_record_duty_activities(*, shift: DutyShift, actor=None) -> int:
    """Record a station-reception duty activity for every deputy present at a held shift.

    Safe to call any number of times (a retried task, a repair): `record_duty_activity` keys the
    activity by the shift and the participation by the deputy.
    """
    if shift.state != State.HELD:
        return 0
    duties = shift.duties.filter(checked_in_at__isnull=False).select_related("deputy__body")
    count = 0
    for duty in duties:
        record_duty_activity(
            deputy=duty.deputy,
            kind=ActivityKind.STATION_RECEPTION,
            date=shift.date,
            title=_reception_title(shift),
            source_object=shift,
            actor=actor,
        )
        count += 1
    return count


def shift_hold(
    *, actor, shift: DutyShift, visitor_count: int, note: str = "", today: datetime.date | None = None
) -> DutyShift:
    """Close a shift as held: visitors counted, absent deputies marked no-shows and alerted about,
    the present deputies' duty activity recorded."""
    today = today or timezone.localdate()
    if visitor_count is None or visitor_count < 0:
        raise ValidationError({"visitor_count": _("Enter the number of visitors.")})
    if shift.date > today:
        raise ValidationError(_("A shift can be closed on its day or later."))
    with transaction.atomic():
        transition(
            shift,
            to=State.HELD,
            actor=actor,
            verb="held",
            note=note,
            expected=State.PUBLISHED,
            allowed=lambda user, locked: permissions.can_run_shift(user, locked.station),
            changes={"visitor_count": visitor_count},
            data={"visitors": visitor_count},
        )
        absent = list(shift.duties.filter(checked_in_at__isnull=True).select_related("deputy"))
        if absent:
            ShiftDuty.objects.filter(pk__in=[duty.pk for duty in absent]).update(no_show=True)
            _alert_no_shows(shift, absent)
        shift_record_duty_activities(shift=shift, actor=actor)
    return shift


def _alert_no_shows(shift: DutyShift, absent: list[ShiftDuty]) -> None:
    station = Station.objects.select_related("region").get(pk=shift.station_id)
    officers = GrantIndex({Role.TOWNSHIP_OFFICER}).users_reaching(station.region.path, {Role.TOWNSHIP_OFFICER})
    watchers = officers | ({station.keeper_id} if station.keeper_id else set())
    for duty in absent:
        recipients = set(watchers)
        if duty.deputy.user_id:
            recipients.add(duty.deputy.user_id)
        notify(
            recipients=recipients,
            kind="shift_no_show",
            title=_("%(deputy)s did not come to the reception at %(station)s on %(date)s")
            % {"deputy": duty.deputy.name, "station": station.name, "date": shift.date.isoformat()},
            dedupe_key=f"shift-no-show:{shift.pk}:{duty.deputy_id}",
        )
