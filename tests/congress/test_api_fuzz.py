"""Schemathesis walks the published OpenAPI schema with generated requests (SECURITY S13).

Every operation, with valid and invalid input, authenticated as a township office's API account:
no request may make a 500, every status code answered must be documented, and responses must
match their documented schema. The app is called in-process through WSGI on the test database.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from congress import services
from congress.models.accounts import Role
from congress.wsgi import application
from tests.factories.congress import user_with_role

# Generating the schema needs no database, so it is read once when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def wsgi_on_the_test_database(db):
    # As Django's test client does: a request's start and end must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def township_token(wsgi_on_the_test_database, town_a, township_body_a):
    account = user_with_role(Role.TOWNSHIP_OFFICER, username="township_api", region=town_a)
    account.is_api_account = True
    account.save(update_fields=["is_api_account"])
    _token, key = services.api_token_issue(actor=None, user=account, name="fuzz")
    return key


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_every_generated_request_as_documented(case, township_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {township_token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
