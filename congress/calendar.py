"""The working-day calendar and calendar-month arithmetic behind every statutory deadline.

Official holidays and make-up workdays (调休) come from the `chinese-calendar` package; staff
overrides in `WorkingDayOverride` win over it. The State Council publishes next year's schedule
late, so for a year the package does not cover yet we fall back to plain weekends plus the
overrides, and `missing_official_years()` tells the console to warn staff.
"""

import calendar as stdlib_calendar
import datetime

import chinese_calendar

from congress.models import WorkingDayOverride


def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _official_working_day(day: datetime.date) -> bool:
    if _package_covers(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(
        WorkingDayOverride.objects.filter(day__range=(start, end)).values_list("day", "is_working_day")
    )


def is_working_day(day: datetime.date) -> bool:
    override = _overrides(day, day).get(day)
    if override is not None:
        return override
    return _official_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted).

    "Within 7 working days of receipt" means the 7th working day after the day of receipt.
    One query for the overrides, whatever the span.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # Even a long holiday cannot stretch n working days beyond 3n + 30 calendar days, so one
    # query covers the span; only if staff marked most of that span as days off do we read on.
    window = datetime.timedelta(days=days * 3 + 30)
    horizon = start + window
    overrides = _overrides(start, horizon)
    current, counted = start, 0
    while counted < days:
        current += datetime.timedelta(days=1)
        if current > horizon:
            overrides.update(_overrides(current, horizon + window))
            horizon += window
        working = overrides.get(current)
        if working is None:
            working = _official_working_day(current)
        if working:
            counted += 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        working = overrides.get(current)
        if working is None:
            working = _official_working_day(current)
        count += working
    return count


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Calendar-month arithmetic that clamps to the month end: Nov 30 + 3 months = Feb 28/29."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = stdlib_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(start.day, last_day))


def missing_official_years(today: datetime.date, ahead: int = 1) -> list[int]:
    """Years from today up to `ahead` years on whose 调休 schedule neither the package nor staff know.

    A year counts as entered by staff once any override exists in it.
    """
    missing = []
    for year in range(today.year, today.year + ahead + 1):
        if _package_covers(year):
            continue
        entered = WorkingDayOverride.objects.filter(day__year=year).exists()
        if not entered:
            missing.append(year)
    return missing
