"""The working-day calendar behind every statutory deadline (DESIGN §2).

Facts used here, from the State Council's 2026 schedule as shipped in `chinesecalendar` 1.11.0:
Spring Festival holidays run Sunday 15 to Monday 23 February 2026, and Saturdays 14 and 28
February are make-up workdays (调休). The package has no data for 2027 yet.
"""

import datetime

import chinese_calendar
import pytest

from congress import calendar, services
from congress.models import WorkingDayOverride

D = datetime.date


@pytest.fixture
def override(staff_admin):
    def _override(day, is_working_day, reason="调整"):
        return services.working_day_override_save(
            actor=staff_admin, day=day, is_working_day=is_working_day, reason=reason
        )

    return _override


# ---- official schedule from the package ----------------------------------------------------


@pytest.mark.django_db
def test_spring_festival_2026_holidays_are_not_working_days():
    festival = [D(2026, 2, 15) + datetime.timedelta(days=offset) for offset in range(9)]

    assert festival[-1] == D(2026, 2, 23)
    assert [calendar.is_working_day(day) for day in festival] == [False] * 9
    assert calendar.is_working_day(D(2026, 2, 13))  # the Friday before
    assert calendar.is_working_day(D(2026, 2, 24))  # the Tuesday after


@pytest.mark.django_db
def test_make_up_saturday_counts_as_a_working_day():
    assert D(2026, 2, 14).weekday() == 5 and D(2026, 2, 28).weekday() == 5
    assert calendar.is_working_day(D(2026, 2, 14))
    assert calendar.is_working_day(D(2026, 2, 28))
    assert not calendar.is_working_day(D(2026, 3, 7))  # an ordinary Saturday


@pytest.mark.django_db
def test_working_days_between_counts_across_the_festival():
    # After Friday 13: Saturday 14 (make-up) and Tuesday 24; the nine days between are holidays.
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    # February 2026: 10 weekdays before the festival, the 14th, the 24th–27th and the 28th.
    assert calendar.working_days_between(D(2026, 1, 31), D(2026, 2, 28)) == 16
    assert calendar.working_days_between(D(2026, 2, 14), D(2026, 2, 23)) == 0


@pytest.mark.django_db
def test_working_days_between_is_zero_when_end_is_not_after_start():
    assert calendar.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert calendar.working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == 0


@pytest.mark.django_db
def test_seven_working_days_across_the_spring_festival():
    # Received Thursday 12 Feb: 13, 14 (make-up Saturday), 24, 25, 26, 27, 28 (make-up Saturday).
    assert calendar.add_working_days(D(2026, 2, 12), 7) == D(2026, 2, 28)
    # Received Friday 13 Feb: 14, 24, 25, 26, 27, 28, Monday 2 March.
    assert calendar.add_working_days(D(2026, 2, 13), 7) == D(2026, 3, 2)


@pytest.mark.django_db
def test_add_working_days_does_not_count_the_start_day():
    assert calendar.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert calendar.add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert calendar.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday → Monday


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(D(2026, 3, 2), -1)


@pytest.mark.django_db
def test_working_days_agree_with_add_working_days():
    start = D(2026, 1, 20)
    for days in (1, 7, 15, 40):
        due = calendar.add_working_days(start, days)
        assert calendar.working_days_between(start, due) == days
        assert calendar.is_working_day(due)


# ---- staff overrides -----------------------------------------------------------------------


def test_staff_override_wins_over_the_ordinary_week(override):
    monday, sunday = D(2026, 3, 2), D(2026, 3, 8)
    assert calendar.is_working_day(monday) and not calendar.is_working_day(sunday)

    override(monday, False, "防台风停工")
    override(sunday, True, "补班")

    assert not calendar.is_working_day(monday)
    assert calendar.is_working_day(sunday)
    # Friday 27 Feb: 28 (make-up Saturday), then Monday 2 March is off, Tuesday 3 is next.
    assert calendar.add_working_days(D(2026, 2, 27), 2) == D(2026, 3, 3)
    # Saturday 7 March: Sunday 8 now counts.
    assert calendar.add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 8)
    assert calendar.working_days_between(D(2026, 3, 1), D(2026, 3, 8)) == 5  # 3–6 and 8


def test_staff_override_wins_over_the_official_schedule(override):
    override(D(2026, 2, 14), False, "取消调休")
    override(D(2026, 2, 16), True, "值班")

    assert not calendar.is_working_day(D(2026, 2, 14))
    assert calendar.is_working_day(D(2026, 2, 16))
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 16 and 24


def test_editing_an_override_replaces_it(override):
    override(D(2026, 3, 2), False, "停工")
    override(D(2026, 3, 2), True, "恢复上班")

    assert WorkingDayOverride.objects.filter(day=D(2026, 3, 2)).count() == 1
    assert calendar.is_working_day(D(2026, 3, 2))


def test_removing_an_override_restores_the_official_day(override, staff_admin):
    saved = override(D(2026, 3, 2), False, "停工")

    services.working_day_override_delete(actor=staff_admin, override=saved)

    assert calendar.is_working_day(D(2026, 3, 2))


@pytest.mark.django_db
def test_a_long_run_of_days_off_is_skipped_in_full():
    # Staff mark almost two months off; the answer must not stop at the first query's horizon.
    first_off = D(2026, 3, 3)
    WorkingDayOverride.objects.bulk_create(
        WorkingDayOverride(day=first_off + datetime.timedelta(days=offset), is_working_day=False, reason="停工")
        for offset in range((D(2026, 4, 30) - first_off).days + 1)
    )

    # 1–5 May is the Labour Day holiday, so the first working day is Wednesday 6 May.
    assert calendar.add_working_days(D(2026, 3, 2), 1) == D(2026, 5, 6)


# ---- a year the package does not know yet --------------------------------------------------


def test_package_has_no_2027_schedule_yet():
    # The tests below rely on this; when chinesecalendar ships 2027, move them to the next year.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


@pytest.mark.django_db
def test_uncovered_year_falls_back_to_weekends():
    assert calendar.is_working_day(D(2027, 1, 1))  # New Year's Day, but a Friday nobody entered
    assert not calendar.is_working_day(D(2027, 1, 2))
    assert not calendar.is_working_day(D(2027, 1, 3))
    # Across the year end: Thursday 31 Dec 2026 (package), Friday 1 Jan, Monday 4 Jan (fallback).
    assert calendar.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 4)


def test_uncovered_year_uses_staff_overrides(override):
    override(D(2027, 1, 1), False, "元旦")
    override(D(2027, 1, 2), True, "补班")

    assert not calendar.is_working_day(D(2027, 1, 1))
    assert calendar.is_working_day(D(2027, 1, 2))
    assert calendar.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 4)  # 31 Dec, 2 Jan, 4 Jan


def test_missing_official_years_reports_2027_until_staff_enter_it(override):
    today = D(2026, 11, 27)
    assert calendar.missing_official_years(today) == [2027]
    assert calendar.missing_official_years(today, ahead=0) == []

    override(D(2027, 1, 1), False, "元旦")

    assert calendar.missing_official_years(today) == []


@pytest.mark.django_db
def test_missing_official_years_ignores_overrides_of_other_years():
    WorkingDayOverride.objects.create(day=D(2026, 3, 2), is_working_day=False, reason="停工")

    assert calendar.missing_official_years(D(2026, 11, 27)) == [2027]
    assert calendar.missing_official_years(D(2027, 6, 1), ahead=1) == [2027, 2028]


# ---- calendar months -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # leap year
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 15), 3, D(2026, 6, 15)),
        (D(2026, 12, 1), 12, D(2027, 12, 1)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(start, months, due):
    assert calendar.add_months(start, months) == due


# ---- cost ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_working_days_costs_one_query_over_200_working_days(django_assert_num_queries):
    WorkingDayOverride.objects.create(day=D(2026, 6, 1), is_working_day=False, reason="停工")
    WorkingDayOverride.objects.create(day=D(2026, 6, 6), is_working_day=True, reason="补班")

    with django_assert_num_queries(1):
        due = calendar.add_working_days(D(2026, 3, 2), 200)

    assert calendar.working_days_between(D(2026, 3, 2), due) == 200


@pytest.mark.django_db
def test_working_days_between_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
