"""Rosters and duty shifts: generation, announcement, check-in, holding, duty activities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congress.models import Event, Notification
from congress.workflow import StaleState, TransitionForbidden
from contact_stations import selectors, services
from contact_stations.models import DutyShift, ShiftDuty, ShiftKind
from deputies.models import ActivityKind, DutyActivity, DutyParticipation
from tests.factories.stations import DutyShiftFactory, RosterRuleFactory, ShiftDutyFactory

NINE, HALF_PAST_ELEVEN = datetime.time(9, 0), datetime.time(11, 30)


def test_monthly_rule_generates_a_year_of_shifts_once(station_a, stationed_deputy, township_officer_a):
    rule = services.roster_rule_create(
        actor=township_officer_a, station=station_a, day_of_month=25, start_time=NINE, end_time=HALF_PAST_ELEVEN,
        deputies=[stationed_deputy],
    )

    december = datetime.date(2026, 12, 1)
    first = services.shifts_generate(actor=township_officer_a, rule=rule, year=2027, today=december)
    again = services.shifts_generate(actor=township_officer_a, rule=rule, year=2027, today=december)

    assert [shift.date for shift in first] == [datetime.date(2027, month, 25) for month in range(1, 13)]
    assert again == []
    assert DutyShift.objects.filter(roster_rule=rule).count() == 12
    assert ShiftDuty.objects.filter(shift__roster_rule=rule, deputy=stationed_deputy).count() == 12


def test_generation_skips_past_days_and_clamps_to_the_month_end(station_a, township_officer_a):
    rule = RosterRuleFactory(station=station_a, day_of_month=31)
    created = services.shifts_generate(actor=township_officer_a, rule=rule, year=2026, today=datetime.date(2026, 9, 1))
    assert [shift.date for shift in created] == [
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 31),
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 31),
    ]


def test_days_off_move_to_the_next_working_day_when_the_rule_says_so(station_a):
    rule = RosterRuleFactory(station=station_a, day_of_month=17, move_off_days=True)
    dates = services.roster_dates(rule, 2026)
    # 17 Feb 2026 is the first day of the Spring Festival; the holiday ends on the 23rd.
    assert datetime.date(2026, 2, 24) in dates and datetime.date(2026, 2, 17) not in dates


def test_explicit_dates_rule(station_a, township_officer_a):
    rule = services.roster_rule_create(
        actor=township_officer_a, station=station_a, start_time=NINE, end_time=HALF_PAST_ELEVEN,
        explicit_dates=[datetime.date(2027, 3, 5), datetime.date(2027, 6, 5), datetime.date(2028, 1, 5)],
    )
    assert services.roster_dates(rule, 2027) == [datetime.date(2027, 3, 5), datetime.date(2027, 6, 5)]


def test_other_town_cannot_set_a_roster(station_a, township_officer_b):
    with pytest.raises(PermissionDenied):
        services.roster_rule_create(
            actor=township_officer_b, station=station_a, day_of_month=25, start_time=NINE, end_time=HALF_PAST_ELEVEN
        )


@pytest.fixture
def shift(station_a, stationed_deputy):
    shift = DutyShiftFactory(station=station_a, date=datetime.date(2026, 12, 25))
    ShiftDutyFactory(shift=shift, deputy=stationed_deputy)
    return shift


def test_announcement_needs_the_notice_period_and_tells_the_deputies_once(shift, station_keeper, deputy_user):
    with pytest.raises(ValidationError):
        services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 23))

    services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 22))

    assert shift.state == DutyShift.State.PUBLISHED and shift.notice_published_on == datetime.date(2026, 12, 22)
    assert Notification.objects.filter(recipient=deputy_user, kind="shift_notice").count() == 1
    with pytest.raises(StaleState):
        services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 22))
    assert Notification.objects.filter(recipient=deputy_user, kind="shift_notice").count() == 1


def test_deputy_cannot_announce_a_shift(shift, deputy_user):
    with pytest.raises(TransitionForbidden):
        services.shift_publish(actor=deputy_user, shift=shift, today=datetime.date(2026, 12, 1))


def _on(day, hour=9, minute=30):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_deputy_checks_in_on_the_day_only_themselves(
    shift, station_keeper, stationed_deputy, other_deputy, deputy_user
):
    ShiftDutyFactory(shift=shift, deputy=other_deputy)
    services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 1))

    with pytest.raises(ValidationError):
        services.shift_check_in(
            actor=deputy_user, shift=shift, deputy=stationed_deputy, now=_on(shift.date - datetime.timedelta(days=1))
        )
    with pytest.raises(PermissionDenied):
        services.shift_check_in(actor=deputy_user, shift=shift, deputy=other_deputy, now=_on(shift.date))

    duty = services.shift_check_in(actor=deputy_user, shift=shift, deputy=stationed_deputy, now=_on(shift.date))
    again = services.shift_check_in(actor=deputy_user, shift=shift, deputy=stationed_deputy, now=_on(shift.date, 10))

    assert duty.checked_in_at == again.checked_in_at == _on(shift.date)
    assert Event.objects.for_object(shift).filter(verb="checked_in").count() == 1


def test_held_shift_records_duty_activity_once_and_flags_no_shows(
    shift, station_keeper, stationed_deputy, other_deputy, township_officer_a
):
    ShiftDutyFactory(shift=shift, deputy=other_deputy)
    services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 1))
    services.shift_check_in(actor=station_keeper, shift=shift, deputy=stationed_deputy, now=_on(shift.date))

    services.shift_hold(actor=station_keeper, shift=shift, visitor_count=14, today=shift.date)
    services.shift_record_duty_activities(shift=shift)  # a retried task changes nothing

    assert shift.state == DutyShift.State.HELD and shift.visitor_count == 14
    activity = DutyActivity.objects.get(kind=ActivityKind.STATION_RECEPTION)
    assert activity.source_object == shift
    assert list(DutyParticipation.objects.filter(activity=activity).values_list("deputy", flat=True)) == [
        stationed_deputy.pk
    ]
    assert ShiftDuty.objects.get(shift=shift, deputy=other_deputy).no_show is True
    alerted = set(Notification.objects.filter(kind="shift_no_show").values_list("recipient", flat=True))
    assert alerted == {other_deputy.user_id, station_keeper.pk, township_officer_a.pk}
    with pytest.raises(StaleState):
        services.shift_hold(actor=station_keeper, shift=shift, visitor_count=20, today=shift.date)


def test_a_shift_cannot_be_closed_before_its_day(shift, station_keeper):
    services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError):
        services.shift_hold(actor=station_keeper, shift=shift, visitor_count=3, today=datetime.date(2026, 12, 24))


def test_cancelling_needs_a_reason_and_tells_announced_deputies(shift, station_keeper, deputy_user):
    services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError):
        services.shift_cancel(actor=station_keeper, shift=shift, reason=" ")
    services.shift_cancel(actor=station_keeper, shift=shift, reason="台风天气")
    assert shift.state == DutyShift.State.CANCELLED
    assert Notification.objects.filter(recipient=deputy_user, kind="shift_cancelled").count() == 1


def test_leader_visit_shift_without_deputies(town_room_a, township_officer_a, leader):
    shift = services.shift_create(
        actor=township_officer_a, station=town_room_a, date=datetime.date(2026, 12, 18), start_time=NINE,
        end_time=HALF_PAST_ELEVEN, kind=ShiftKind.LEADER_VISIT, visiting_leader=leader,
    )
    services.shift_publish(actor=township_officer_a, shift=shift, today=datetime.date(2026, 12, 10))
    assert shift.state == DutyShift.State.PUBLISHED


def test_deputies_below_the_yearly_minimum_are_listed(
    shift, station_keeper, stationed_deputy, other_deputy, district_body
):
    ShiftDutyFactory(shift=shift, deputy=other_deputy)
    services.shift_publish(actor=station_keeper, shift=shift, today=datetime.date(2026, 12, 1))
    services.shift_check_in(actor=station_keeper, shift=shift, deputy=stationed_deputy, now=_on(shift.date))
    services.shift_hold(actor=station_keeper, shift=shift, visitor_count=5, today=shift.date)
    second = DutyShiftFactory(station=shift.station, date=datetime.date(2026, 12, 28), state=DutyShift.State.HELD)
    ShiftDutyFactory(shift=second, deputy=stationed_deputy, checked_in_at=_on(second.date))

    below = selectors.deputies_below_minimum(body=district_body, year=2026)

    assert [(deputy.name, deputy.receptions) for deputy in below] == [(other_deputy.name, 0)]
