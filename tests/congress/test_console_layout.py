"""The console layout: navigation by role, inbox badge, calendar warning, security headers."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Notification, WorkingDayOverride


def _sidebar_links(response):
    return {item.url for section in response.context["nav"].console_sections for item in section.items}


def test_staff_admin_sees_the_administration_section(client, login, staff_admin):
    login(client, staff_admin)

    response = client.get(reverse("console:home"))

    assert response.status_code == 200
    assert reverse("console:users") in _sidebar_links(response)
    assert reverse("console:units") in _sidebar_links(response)


def test_unit_officer_sees_institution_lists_but_not_user_administration(client, login, unit_officer):
    login(client, unit_officer)

    response = client.get(reverse("console:home"))

    links = _sidebar_links(response)
    assert reverse("console:units") in links
    assert reverse("console:users") not in links
    assert reverse("console:users").encode() not in response.content


def test_the_current_page_is_marked_in_the_sidebar(client, login, staff_admin):
    login(client, staff_admin)

    response = client.get(reverse("console:unit_create"))

    active = [item.url for section in response.context["nav"].console_sections for item in section.items if item.active]
    assert active == [reverse("console:units")]
    assert b'aria-current="page"' in response.content


def test_deputy_cannot_open_the_console(client, login, deputy_user):
    login(client, deputy_user)

    assert client.get(reverse("console:home")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("console:units"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unread_notifications_are_counted_for_the_badge(client, login, staff_admin, staff_clerk):
    Notification.objects.create(recipient=staff_admin, kind="test", title="一")
    Notification.objects.create(recipient=staff_admin, kind="test", title="二")
    Notification.objects.create(
        recipient=staff_admin, kind="test", title="已读", read_at=datetime.datetime.now(tz=datetime.UTC)
    )
    Notification.objects.create(recipient=staff_clerk, kind="test", title="别人的")
    login(client, staff_admin)

    response = client.get(reverse("console:home"))

    assert response.context["nav"].unread_count == 2


def test_staff_are_warned_when_next_years_holiday_schedule_is_missing(client, login, staff_admin, monkeypatch):
    from congress import context_processors

    monkeypatch.setattr(context_processors.calendar, "missing_official_years", lambda today: [2031])
    login(client, staff_admin)

    response = client.get(reverse("console:home"))

    assert response.context["nav"].missing_calendar_years == [2031]
    assert b"2031" in response.content
    assert reverse("console:calendar").encode() in response.content


def test_the_warning_disappears_once_staff_enter_the_year(client, login, staff_admin):
    from congress import calendar

    today = timezone.localdate()
    for year in calendar.missing_official_years(today):
        WorkingDayOverride.objects.create(day=datetime.date(year, 10, 1), is_working_day=False, reason="国庆节")
    login(client, staff_admin)

    response = client.get(reverse("console:home"))

    assert response.context["nav"].missing_calendar_years == []


def test_unit_officers_get_no_calendar_warning(client, login, unit_officer, monkeypatch):
    from congress import context_processors

    monkeypatch.setattr(context_processors.calendar, "missing_official_years", lambda today: [2031])
    login(client, unit_officer)

    response = client.get(reverse("console:home"))

    assert response.context["nav"].missing_calendar_years == []


def test_pages_carry_a_csp_with_a_nonce_that_the_scripts_use(client, login, staff_admin):
    login(client, staff_admin)

    response = client.get(reverse("console:home"))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(rb"<script[^>]*>", response.content)
    assert scripts
    assert all(f'nonce="{nonce}"'.encode() in tag for tag in scripts)
    assert "unsafe-inline" not in policy
    assert b" style=" not in response.content


def test_a_new_nonce_on_every_response(client, login, staff_admin):
    login(client, staff_admin)

    first = client.get(reverse("console:home"))["Content-Security-Policy"]
    second = client.get(reverse("console:home"))["Content-Security-Policy"]

    assert first != second


@pytest.mark.parametrize("name", ["console:home", "console:units", "console:regions", "console:calendar"])
def test_authenticated_pages_are_not_cached(client, login, staff_admin, name):
    login(client, staff_admin)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_layout_has_language_viewport_and_a_post_logout(client, login, staff_admin):
    login(client, staff_admin)

    content = client.get(reverse("console:home")).content.decode()

    assert '<html lang="zh-hans">' in content
    assert 'name="viewport"' in content
    assert re.search(rf'<form method="post" action="{re.escape(reverse("accounts:logout"))}">', content)
    assert reverse("accounts:password_change") in content
    assert 'aria-label="' in content
