"""POST /api/v1/auth/token/: API accounts exchange a password for a token; nobody else does."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from congress import services
from congress.authentication import token_digest
from congress.models import ApiToken, Event, RoleGrant
from congress.models.accounts import Role
from tests.factories.congress import DEFAULT_PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
REGIONS_URL = "/api/v1/regions/"


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    # Throttle counters live in the cache, which outlives a test when it is Redis.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office_system(town_a, township_body_a):
    """The API account of town A's own system."""
    account = UserFactory(username="api-datong", is_api_account=True)
    RoleGrant.objects.create(user=account, role=Role.TOWNSHIP_OFFICER, region=town_a)
    return account


def _obtain(username, password, **extra):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def _client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_url_name_is_stable():
    assert reverse("api:auth_token") == TOKEN_URL


def test_api_account_obtains_a_token_that_reads_its_region(office_system, town_a):
    response = _obtain("api-datong", DEFAULT_PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert body["user"] == "api-datong"
    assert body["token"].startswith(body["prefix"])
    assert response["Cache-Control"] == "no-store"
    # Only the digest is stored, and issuing it is on the account's timeline.
    token = ApiToken.objects.get(user=office_system)
    assert token.digest == token_digest(body["token"])
    assert token.prefix == body["prefix"]
    assert Event.objects.filter(object_id=str(office_system.pk), verb="token_issued").exists()

    regions = _client_with(body["token"]).get(REGIONS_URL)
    assert regions.status_code == 200
    assert [row["code"] for row in regions.json()["results"]] == [town_a.code]


def test_wrong_password_is_refused_with_a_code_and_counted_by_axes(office_system):
    response = _obtain("api-datong", "not-the-password")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["fields"] == {}
    assert not ApiToken.objects.filter(user=office_system).exists()
    attempt = AccessAttempt.objects.get(username="api-datong")
    assert attempt.failures_since_start == 1


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(db):
    response = _obtain("nobody", "whatever-it-is")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_missing_fields_are_invalid_with_field_messages(db):
    response = APIClient().post(TOKEN_URL, {"username": "api-datong"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "password" in response.json()["fields"]


def test_a_persons_account_cannot_obtain_an_api_token(township_officer_a):
    response = _obtain(township_officer_a.username, DEFAULT_PASSWORD)

    assert response.status_code == 403
    assert response.json()["code"] == "not_api_account"
    assert not ApiToken.objects.filter(user=township_officer_a).exists()


def test_deactivated_api_account_cannot_obtain_a_token(office_system):
    services.user_deactivate(actor=None, user=office_system, reason="office closed")

    response = _obtain("api-datong", DEFAULT_PASSWORD)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_repeated_failures_lock_the_account_out_on_that_address(office_system, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _obtain("api-datong", "wrong-password")

    response = _obtain("api-datong", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert not ApiToken.objects.filter(user=office_system).exists()
    # A colleague's system on another address is not locked out (SECURITY S7).
    elsewhere = _obtain("api-datong", DEFAULT_PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 200


def test_token_endpoint_is_throttled_per_address(office_system, settings):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")[0])
    for _request in range(allowed):
        assert _obtain("api-datong", DEFAULT_PASSWORD).status_code == 200

    response = _obtain("api-datong", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert ApiToken.objects.filter(user=office_system).count() == allowed


def test_a_bad_token_header_does_not_block_obtaining_a_new_token(office_system):
    response = APIClient().post(
        TOKEN_URL,
        {"username": "api-datong", "password": DEFAULT_PASSWORD},
        format="json",
        HTTP_AUTHORIZATION="Token tx_revoked-long-ago",
    )

    assert response.status_code == 200


def test_revoked_token_gets_401_with_a_json_code(office_system):
    token, key = services.api_token_issue(actor=None, user=office_system)
    services.api_token_revoke(actor=None, token=token)

    response = _client_with(key).get(REGIONS_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Token")


def test_rotated_token_old_key_fails_and_new_key_works(office_system):
    token, old_key = services.api_token_issue(actor=None, user=office_system)

    new_token, new_key = services.api_token_rotate(actor=None, token=token)

    assert _client_with(old_key).get(REGIONS_URL).status_code == 401
    assert _client_with(new_key).get(REGIONS_URL).status_code == 200
    new_token.refresh_from_db()
    assert new_token.last_used_at is not None


def test_token_of_a_deactivated_account_stops_working(office_system):
    _token, key = services.api_token_issue(actor=None, user=office_system)

    services.user_deactivate(actor=None, user=office_system, reason="office closed")

    assert _client_with(key).get(REGIONS_URL).status_code == 401
