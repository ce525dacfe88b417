"""Console pages for API accounts: staff admins create office systems' accounts and manage tokens.

A key is shown once, in the answer to the POST that issued it, and only its digest is stored.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from congress import services
from congress.authentication import token_digest
from congress.models import ApiToken, Event, RoleGrant, User
from congress.models.accounts import Role

LIST_URL = "/console/api-accounts/"
CREATE_URL = "/console/api-accounts/new/"


@pytest.fixture
def office_account(town_a, staff_admin):
    account, _password, token, _key = services.api_account_create(
        actor=staff_admin, username="api-datong", full_name="大同街道人大办", role=Role.TOWNSHIP_OFFICER,
        region=town_a, token_name="sync server",
    )
    return account


def _key_on(response) -> str:
    match = re.search(r'id="api-key"[^>]*value="(tx_[^"]+)"', response.content.decode())
    assert match, "the key is shown on the page"
    return match.group(1)


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_url_names_are_stable():
    assert reverse("console:api_accounts") == LIST_URL
    assert reverse("console:api_account_create") == CREATE_URL


@pytest.mark.parametrize("persona", ["staff_clerk", "leader", "township_officer_a", "unit_officer", "auditor"])
def test_only_user_managers_may_open_the_pages(request, client, login, persona, office_account):
    login(client, request.getfixturevalue(persona))
    token = ApiToken.objects.get(user=office_account)

    assert client.get(LIST_URL).status_code == 403
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(reverse("console:api_account_token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_list_shows_accounts_with_their_tokens_but_never_a_key(client, login, staff_admin, office_account, town_b,
                                                               township_officer_a, django_assert_max_num_queries):
    services.api_account_create(actor=staff_admin, username="api-xiangping", role=Role.TOWNSHIP_OFFICER, region=town_b)
    revoked, _key = services.api_token_issue(actor=staff_admin, user=office_account, name="old laptop")
    services.api_token_revoke(actor=staff_admin, token=revoked)
    login(client, staff_admin)
    client.get(LIST_URL)  # warm the session and the navigation's one-off lookups

    with django_assert_max_num_queries(14):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "api-datong" in html and "api-xiangping" in html
    assert township_officer_a.username not in html  # people's accounts are managed elsewhere
    for token in ApiToken.objects.all():
        assert token.prefix in html
    assert "old laptop" in html and "sync server" in html
    assert 'id="api-key"' not in html
    assert not re.search(r"tx_[A-Za-z0-9_-]{20,}", html)  # prefixes only, never a whole key
    assert response["Cache-Control"] == "no-store"


def test_list_query_count_does_not_grow_with_accounts(client, login, staff_admin, town_a, town_b,
                                                      django_assert_max_num_queries):
    login(client, staff_admin)
    services.api_account_create(actor=staff_admin, username="api-1", role=Role.TOWNSHIP_OFFICER, region=town_a)
    client.get(LIST_URL)

    with CaptureQueriesContext(connection) as one_account:
        client.get(LIST_URL)
    for number in range(2, 6):
        account, *_ = services.api_account_create(
            actor=staff_admin, username=f"api-{number}", role=Role.TOWNSHIP_OFFICER, region=town_b
        )
        services.api_token_issue(actor=staff_admin, user=account)
    with django_assert_max_num_queries(len(one_account)):
        client.get(LIST_URL)


def test_create_an_account_shows_its_key_once_and_the_key_works(client, login, staff_admin, town_a):
    login(client, staff_admin)
    form = client.get(CREATE_URL)
    assert form.status_code == 200

    response = client.post(
        CREATE_URL,
        {"username": "api-datong", "full_name": "大同街道人大办", "role": "township_officer", "region": town_a.pk,
         "token_name": "sync server"},
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = _key_on(response)
    account = User.objects.get(username="api-datong")
    assert account.is_api_account
    assert RoleGrant.objects.get(user=account).region == town_a
    token = ApiToken.objects.get(user=account)
    assert token.digest == token_digest(key)
    assert token.name == "sync server"
    assert Event.objects.filter(object_id=str(account.pk), verb="token_issued", actor=staff_admin).exists()
    # The key is never shown again.
    assert key not in client.get(LIST_URL).content.decode()
    assert _api(key).get("/api/v1/regions/").json()["results"][0]["code"] == town_a.code


def test_create_refuses_a_taken_username(client, login, staff_admin, township_officer_a, town_a):
    login(client, staff_admin)

    response = client.post(CREATE_URL, {"username": township_officer_a.username, "role": "township_officer",
                                        "region": town_a.pk})

    assert response.status_code == 200
    assert 'id="api-key"' not in response.content.decode()
    assert response.context["form"].errors["username"]
    assert not ApiToken.objects.filter(user=township_officer_a).exists()


def test_create_refuses_a_role_without_its_scope_and_leaves_nothing(client, login, staff_admin, health_bureau):
    login(client, staff_admin)

    response = client.post(CREATE_URL, {"username": "api-wrong", "role": "township_officer",
                                        "unit": health_bureau.pk})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="api-wrong").exists()


def test_create_offers_no_administrative_roles(client, login, staff_admin, town_a):
    login(client, staff_admin)

    response = client.post(CREATE_URL, {"username": "api-admin", "role": "staff_admin", "region": town_a.pk})

    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="api-admin").exists()


def test_issue_another_token(client, login, staff_admin, office_account):
    login(client, staff_admin)

    response = client.post(reverse("console:api_account_token_issue", args=[office_account.pk]), {"name": "backup"})

    key = _key_on(response)
    assert ApiToken.objects.filter(user=office_account).count() == 2
    assert ApiToken.objects.get(digest=token_digest(key)).name == "backup"


def test_issue_is_only_for_api_accounts(client, login, staff_admin, township_officer_a):
    login(client, staff_admin)

    response = client.post(reverse("console:api_account_token_issue", args=[township_officer_a.pk]))

    assert response.status_code == 404
    assert not ApiToken.objects.filter(user=township_officer_a).exists()


def test_rotate_replaces_the_key(client, login, staff_admin, office_account):
    old_key = services.api_token_issue(actor=staff_admin, user=office_account, name="laptop")[1]
    token = ApiToken.objects.get(digest=token_digest(old_key))
    login(client, staff_admin)

    response = client.post(reverse("console:api_account_token_rotate", args=[token.pk]))

    new_key = _key_on(response)
    assert _api(old_key).get("/api/v1/regions/").status_code == 401
    assert _api(new_key).get("/api/v1/regions/").status_code == 200
    assert ApiToken.objects.get(digest=token_digest(new_key)).name == "laptop"


def test_rotating_a_revoked_token_issues_nothing(client, login, staff_admin, office_account):
    token = ApiToken.objects.get(user=office_account)
    services.api_token_revoke(actor=staff_admin, token=token)
    login(client, staff_admin)

    response = client.post(reverse("console:api_account_token_rotate", args=[token.pk]))

    assert response.status_code == 302
    assert ApiToken.objects.active().filter(user=office_account).count() == 0


def test_revoke_stops_the_key_at_once(client, login, staff_admin, office_account):
    key = services.api_token_issue(actor=staff_admin, user=office_account)[1]
    token = ApiToken.objects.get(digest=token_digest(key))
    login(client, staff_admin)

    response = client.post(reverse("console:api_account_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api(key).get("/api/v1/regions/").status_code == 401
    assert Event.objects.filter(object_id=str(office_account.pk), verb="token_revoked", actor=staff_admin).exists()


def test_token_actions_need_post(client, login, staff_admin, office_account):
    token = ApiToken.objects.get(user=office_account)
    login(client, staff_admin)

    assert client.get(reverse("console:api_account_token_revoke", args=[token.pk])).status_code == 405
    assert client.get(reverse("console:api_account_token_rotate", args=[token.pk])).status_code == 405
    assert client.get(reverse("console:api_account_token_issue", args=[office_account.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
