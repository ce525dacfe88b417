"""Login, lockout, landing by role, forced password change and logout (SECURITY S6, S7, S9, S10, S12)."""

import pytest
from django.urls import reverse

from congress.models import Event
from tests.factories.congress import DEFAULT_PASSWORD

LOGIN_URL = reverse("accounts:login")


def _new_password(password):
    return {"old_password": DEFAULT_PASSWORD, "new_password1": password, "new_password2": password}


def _log_in(client, username, password=DEFAULT_PASSWORD, ip="10.1.1.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_with_the_right_password_starts_a_session_and_lands_by_role(client, staff_admin):
    response = _log_in(client, "staff_admin")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:landing")
    assert int(client.session["_auth_user_id"]) == staff_admin.pk


def test_login_with_a_wrong_password_is_refused_without_a_session(client, staff_admin):
    response = _log_in(client, "staff_admin", password="not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_login_rotates_the_session_key(client, staff_admin):
    client.get(LOGIN_URL)
    client.session.save()
    before = client.session.session_key

    _log_in(client, "staff_admin")

    assert client.session.session_key != before


def test_five_failures_lock_the_username_on_that_address_only(client, staff_admin, settings):
    for _attempt in range(5):
        _log_in(client, "staff_admin", password="wrong", ip="10.1.1.1")

    locked = _log_in(client, "staff_admin", ip="10.1.1.1")
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [template.name for template in locked.templates]
    assert "_auth_user_id" not in client.session

    # A colleague behind another address logs in with the same username (SECURITY S7).
    other = _log_in(client, "staff_admin", ip="10.1.1.2")
    assert other.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff_admin.pk


def test_four_failures_do_not_lock(client, staff_admin):
    for _attempt in range(4):
        _log_in(client, "staff_admin", password="wrong")

    assert _log_in(client, "staff_admin").status_code == 302


@pytest.mark.parametrize(
    ("persona", "destination"),
    [
        ("staff_admin", "console:home"),
        ("unit_officer", "console:home"),
        ("township_officer_a", "console:home"),
        ("deputy_user", "portal:home"),
    ],
)
def test_landing_sends_each_role_to_its_interface(client, login, request, persona, destination):
    login(client, request.getfixturevalue(persona))

    response = client.get(reverse("accounts:landing"))

    assert response.status_code == 302
    assert response["Location"] == reverse(destination)


def test_landing_sends_a_user_without_a_role_to_the_public_site(client, login, db):
    from tests.factories.congress import UserFactory

    login(client, UserFactory(username="nobody"))

    response = client.get(reverse("accounts:landing"))

    assert response["Location"] == reverse("public:home")


def test_landing_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("accounts:landing"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_a_user_who_must_change_the_password_is_sent_to_the_change_form(client, login, staff_admin):
    staff_admin.must_change_password = True
    staff_admin.save(update_fields=["must_change_password"])
    login(client, staff_admin)

    response = client.get(reverse("console:units"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))
    assert "next=/console/units/" in response["Location"]
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_changing_the_password_clears_the_obligation_and_keeps_the_session(client, login, staff_admin):
    staff_admin.must_change_password = True
    staff_admin.save(update_fields=["must_change_password"])
    login(client, staff_admin)

    response = client.post(
        reverse("accounts:password_change"),
        _new_password("Tongan-renda-2026!"),
    )

    assert response.status_code == 302
    staff_admin.refresh_from_db()
    assert staff_admin.must_change_password is False
    assert staff_admin.password_changed_at is not None
    assert staff_admin.check_password("Tongan-renda-2026!")
    assert Event.objects.for_object(staff_admin).filter(verb="password_changed").exists()
    assert client.get(reverse("console:units")).status_code == 200


def test_password_change_follows_a_local_next_but_not_a_foreign_one(client, login, staff_admin):
    login(client, staff_admin)
    response = client.post(
        reverse("accounts:password_change") + "?next=https://evil.example/", _new_password("Tongan-renda-2026!")
    )

    assert response["Location"] == reverse("accounts:landing")


def test_a_weak_new_password_is_refused(client, login, staff_admin):
    login(client, staff_admin)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    staff_admin.refresh_from_db()
    assert staff_admin.password_changed_at is None


def test_logout_needs_a_post(client, login, staff_admin):
    login(client, staff_admin)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("console:home")).status_code == 302


def test_a_logged_in_user_opening_the_login_page_is_sent_on(client, login, deputy_user):
    login(client, deputy_user)

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
