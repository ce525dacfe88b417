"""Working-day overrides in the console: list by year, add, delete, and which years are known."""

import datetime

from django.urls import reverse
from django.utils import timezone

from congress import calendar
from congress.models import Event, WorkingDayOverride


def test_the_calendar_lists_the_years_overrides_and_the_package_coverage(client, login, staff_clerk):
    WorkingDayOverride.objects.create(day=datetime.date(2030, 10, 1), is_working_day=False, reason="国庆节")
    WorkingDayOverride.objects.create(day=datetime.date(2029, 10, 1), is_working_day=False, reason="国庆节")
    login(client, staff_clerk)

    response = client.get(reverse("console:calendar"), {"year": 2030})

    assert [override.day.year for override in response.context["overrides"]] == [2030]
    coverage = {entry["year"]: entry for entry in response.context["coverage"]}
    this_year = timezone.localdate().year
    assert set(coverage) == {this_year - 1, this_year, this_year + 1}
    assert coverage[this_year - 1]["package_covers"] is True
    assert b'action="/console/calendar/add/"' not in response.content  # a clerk only reads


def test_staff_admin_adds_a_make_up_workday_that_the_calendar_then_counts(client, login, staff_admin):
    day = datetime.date(2031, 1, 4)  # a Saturday
    login(client, staff_admin)

    response = client.post(
        reverse("console:calendar_add"), {"day": day.isoformat(), "is_working_day": "1", "reason": "元旦调休"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?year=2031")
    assert calendar.is_working_day(day) is True
    override = WorkingDayOverride.objects.get(day=day)
    assert Event.objects.for_object(override).get().actor == staff_admin


def test_adding_the_same_day_again_changes_it(client, login, staff_admin):
    day = datetime.date(2031, 1, 4)
    login(client, staff_admin)
    client.post(reverse("console:calendar_add"), {"day": day.isoformat(), "is_working_day": "1", "reason": "调休"})

    client.post(reverse("console:calendar_add"), {"day": day.isoformat(), "is_working_day": "0", "reason": "更正"})

    assert WorkingDayOverride.objects.get(day=day).is_working_day is False


def test_an_invalid_entry_is_shown_back_with_errors(client, login, staff_admin):
    login(client, staff_admin)

    response = client.post(reverse("console:calendar_add"), {"day": "not-a-date", "is_working_day": "1", "reason": ""})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"day", "reason"}
    assert not WorkingDayOverride.objects.exists()


def test_staff_admin_removes_an_override(client, login, staff_admin):
    override = WorkingDayOverride.objects.create(day=datetime.date(2031, 1, 4), is_working_day=True, reason="调休")
    login(client, staff_admin)

    response = client.post(reverse("console:calendar_delete", args=[override.pk]))

    assert response.status_code == 302
    assert not WorkingDayOverride.objects.exists()
    assert calendar.is_working_day(datetime.date(2031, 1, 4)) is False


def test_clerk_cannot_change_the_calendar(client, login, staff_clerk):
    override = WorkingDayOverride.objects.create(day=datetime.date(2031, 1, 4), is_working_day=True, reason="调休")
    login(client, staff_clerk)

    added = client.post(reverse("console:calendar_add"), {"day": "2031-01-05", "is_working_day": "1", "reason": "x"})
    removed = client.post(reverse("console:calendar_delete", args=[override.pk]))

    assert (added.status_code, removed.status_code) == (403, 403)
    assert list(WorkingDayOverride.objects.values_list("day", flat=True)) == [datetime.date(2031, 1, 4)]


def test_a_nonsense_year_shows_this_year(client, login, staff_clerk):
    login(client, staff_clerk)

    response = client.get(reverse("console:calendar"), {"year": "99999"})

    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
