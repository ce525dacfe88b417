"""manage.py create_api_account: an office system's account, with a token printed once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from congress.models import ApiToken, Event, RoleGrant, User
from congress.models.accounts import Role


def _create(*args):
    out, err = StringIO(), StringIO()
    call_command("create_api_account", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_token_that_reads_the_accounts_region(town_a, town_b, township_body_a):
    key, note = _create("--username", "api-datong", "--role", "township_officer", "--region", town_a.code)

    account = User.objects.get(username="api-datong")
    assert account.is_api_account
    assert not account.must_change_password
    grant = RoleGrant.objects.get(user=account)
    assert (grant.role, grant.region) == (Role.TOWNSHIP_OFFICER, town_a)
    token = ApiToken.objects.get(user=account)
    assert key.startswith(token.prefix) and key not in token.digest
    assert "api-datong" in note and key not in note
    verbs = set(Event.objects.filter(object_id=str(account.pk)).values_list("verb", flat=True))
    assert {"created", "role_granted", "token_issued"} <= verbs

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/regions/")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [town_a.code]


def test_unit_scope_by_id(health_bureau):
    key, _note = _create("--username", "api-health", "--role", "unit_officer", "--unit", str(health_bureau.pk))

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    units = client.get("/api/v1/units/").json()
    assert [row["id"] for row in units["results"]] == [health_bureau.pk]


def test_refuses_an_existing_username(township_officer_a, town_a):
    with pytest.raises(CommandError, match="already exists"):
        _create("--username", township_officer_a.username, "--role", "township_officer", "--region", town_a.code)

    township_officer_a.refresh_from_db()
    assert not township_officer_a.is_api_account
    assert not ApiToken.objects.filter(user=township_officer_a).exists()


def test_refuses_a_scope_the_role_does_not_take_and_leaves_nothing_behind(health_bureau):
    with pytest.raises(CommandError):
        _create("--username", "api-wrong", "--role", "township_officer", "--unit", str(health_bureau.pk))

    assert not User.objects.filter(username="api-wrong").exists()
    assert not ApiToken.objects.exists()


def test_refuses_a_role_without_its_scope(db):
    with pytest.raises(CommandError):
        _create("--username", "api-noscope", "--role", "township_officer")

    assert not User.objects.filter(username="api-noscope").exists()


def test_refuses_an_unknown_role_or_region(town_a):
    with pytest.raises(CommandError, match="Unknown role"):
        _create("--username", "api-x", "--role", "mayor", "--region", town_a.code)
    with pytest.raises(CommandError, match="No region"):
        _create("--username", "api-x", "--role", "township_officer", "--region", "999999")

    assert not User.objects.filter(username="api-x").exists()


def test_region_and_unit_are_mutually_exclusive(town_a, health_bureau):
    with pytest.raises(CommandError):
        _create("--username", "api-both", "--role", "unit_officer", "--region", town_a.code,
                "--unit", str(health_bureau.pk))
