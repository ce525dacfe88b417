"""The graded-protection password profile: classes, 90-day expiry, no reuse of the last five (SECURITY S6)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from congress.models import PasswordHistory
from tests.factories.congress import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

CHANGE_URL = reverse("accounts:password_change")


@pytest.fixture
def graded(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        *settings.AUTH_PASSWORD_VALIDATORS,
        {"NAME": "congress.passwords.CharacterClassValidator"},
        {"NAME": "congress.passwords.PasswordHistoryValidator"},
    ]
    settings.PASSWORD_MAX_AGE_DAYS = 90
    settings.PASSWORD_HISTORY_COUNT = 5
    return settings


def change(client, old, new):
    return client.post(CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_password_older_than_90_days_sends_the_user_to_the_change_form(graded, client, login, staff_clerk):
    staff_clerk.password_changed_at = timezone.now() - timedelta(days=91)
    staff_clerk.save(update_fields=["password_changed_at"])
    login(client, staff_clerk)

    response = client.get(reverse("console:units"))

    assert response.status_code == 302
    assert response["Location"].startswith(CHANGE_URL)
    page = client.get(CHANGE_URL).content.decode()
    assert "90" in page and "alert-warning" in page


def test_a_password_younger_than_90_days_and_the_standard_profile_do_not_expire(settings, client, login, staff_clerk):
    staff_clerk.password_changed_at = timezone.now() - timedelta(days=89)
    staff_clerk.save(update_fields=["password_changed_at"])
    settings.PASSWORD_MAX_AGE_DAYS = 90
    assert staff_clerk.password_expired() is False
    settings.PASSWORD_MAX_AGE_DAYS = 0
    staff_clerk.password_changed_at = timezone.now() - timedelta(days=400)
    assert staff_clerk.password_expired() is False


def test_the_graded_profile_refuses_a_password_of_fewer_than_three_classes(graded, client, login, staff_clerk):
    login(client, staff_clerk)

    response = change(client, DEFAULT_PASSWORD, "tonganrendazhuren")

    assert response.status_code == 200
    assert "三类" in response.content.decode()
    staff_clerk.refresh_from_db()
    assert staff_clerk.check_password(DEFAULT_PASSWORD)


def test_none_of_the_last_five_passwords_may_be_reused(graded, client, login, staff_clerk):
    login(client, staff_clerk)
    passwords = [f"Tongan-renda-{year}!" for year in range(2021, 2027)]
    current = DEFAULT_PASSWORD
    for password in passwords:
        assert change(client, current, password).status_code == 302
        current = password
    assert PasswordHistory.objects.filter(user=staff_clerk).count() == settings.PASSWORD_HISTORY_COUNT == 5

    for reused in (passwords[-1], passwords[-3], passwords[-5]):
        response = change(client, current, reused)
        assert response.status_code == 200, reused
        assert "最近" in response.content.decode()
    # The sixth-last has dropped out of the history and may come back.
    assert change(client, current, passwords[0]).status_code == 302
    staff_clerk.refresh_from_db()
    assert staff_clerk.check_password(passwords[0])


def test_history_holds_only_hashes(graded, client, login, staff_clerk):
    login(client, staff_clerk)
    change(client, DEFAULT_PASSWORD, "Tongan-renda-2026!")
    stored = PasswordHistory.objects.get(user=staff_clerk).password
    assert stored.startswith("argon2") and "Tongan" not in stored
