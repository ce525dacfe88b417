"""The deputy portal's home and "me" pages: deputies only, phone-first layout."""

import re

from django.urls import reverse

from congress.models import Notification


def test_deputy_sees_a_greeting_and_the_cards_to_come(client, login, deputy_user):
    login(client, deputy_user)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert deputy_user.full_name.encode() in response.content
    for anchor in (b'id="my-suggestions"', b'id="duty-record"', b'id="station-shifts"'):
        assert anchor in response.content


def test_the_portal_has_a_bottom_navigation_and_a_viewport(client, login, deputy_user):
    login(client, deputy_user)

    content = client.get(reverse("portal:home")).content.decode()

    assert 'name="viewport"' in content
    assert re.search(r'<nav class="portal-tabbar fixed-bottom', content)
    assert reverse("portal:me") in content
    assert 'aria-current="page"' in content


def test_the_badge_counts_the_deputys_unread_messages(client, login, deputy_user):
    Notification.objects.create(recipient=deputy_user, kind="test", title="请测评答复")
    login(client, deputy_user)

    response = client.get(reverse("portal:home"))

    assert response.context["nav"].unread_count == 1


def test_me_shows_the_profile_read_only_with_a_masked_phone(client, login, deputy_user):
    deputy_user.phone = "13812345678"
    deputy_user.save()
    login(client, deputy_user)

    response = client.get(reverse("portal:me"))

    assert b"138****5678" in response.content
    assert b"13812345678" not in response.content
    assert reverse("accounts:password_change").encode() in response.content
    assert b"<input" not in response.content.split(b'id="profile-title"')[1].split(b"</section>")[0]


def test_staff_without_a_mandate_cannot_open_the_portal(client, login, staff_admin):
    login(client, staff_admin)

    assert client.get(reverse("portal:home")).status_code == 403


def test_portal_pages_are_not_cached_and_carry_a_csp(client, login, deputy_user):
    login(client, deputy_user)

    response = client.get(reverse("portal:me"))

    assert response["Cache-Control"] == "no-store"
    assert "nonce-" in response["Content-Security-Policy"]


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("portal:home"))

    assert response["Location"].startswith(reverse("accounts:login"))
