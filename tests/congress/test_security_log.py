"""Security events are structured JSON lines with an event code on `tongxin.security` (SECURITY S20)."""

import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.congress import DEFAULT_PASSWORD


@pytest.fixture
def security_lines(caplog):
    """The JSON objects logged on `tongxin.security` (which does not propagate to the root logger)."""
    security_logger = logging.getLogger("tongxin.security")
    security_logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tongxin.security")

    def lines():
        return [json.loads(record.getMessage()) for record in caplog.records if record.name == "tongxin.security"]

    yield lines
    security_logger.removeHandler(caplog.handler)


def _events(lines, code):
    return [line for line in lines() if line["event"] == code]


def test_a_failed_login_is_logged_with_the_username_and_address_but_no_password(client, staff_clerk, security_lines):
    client.post(
        reverse("accounts:login"), {"username": "staff_clerk", "password": "wrong-guess-1"}, REMOTE_ADDR="10.1.2.3"
    )

    (line,) = _events(security_lines, "login_failed")
    assert line["username"] == "staff_clerk"
    assert line["ip"] == "10.1.2.3"
    assert line["path"] == reverse("accounts:login")
    assert "time" in line
    assert "wrong-guess-1" not in json.dumps(security_lines())


def test_a_successful_login_is_logged(client, staff_clerk, security_lines):
    response = client.post(
        reverse("accounts:login"), {"username": "staff_clerk", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )

    assert response.status_code == 302
    (line,) = _events(security_lines, "login_ok")
    assert (line["username"], line["ip"]) == ("staff_clerk", "10.1.2.3")
    assert not _events(security_lines, "login_failed")


def test_a_logout_is_logged(client, login, staff_clerk, security_lines):
    login(client, staff_clerk)

    client.post(reverse("accounts:logout"))

    (line,) = _events(security_lines, "logout")
    assert line["username"] == "staff_clerk"


def test_a_lockout_is_logged_once_the_failure_limit_is_reached(client, staff_clerk, security_lines):
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            reverse("accounts:login"),
            {"username": "staff_clerk", "password": f"wrong-guess-{attempt}"},
            REMOTE_ADDR="10.1.2.3",
        )

    lockouts = _events(security_lines, "lockout")
    assert lockouts
    assert lockouts[0]["username"] == "staff_clerk"
    assert lockouts[0]["ip"] == "10.1.2.3"
    assert len(_events(security_lines, "login_failed")) >= settings.AXES_FAILURE_LIMIT


def test_a_refused_page_is_logged_as_a_denial(client, login, deputy_user, security_lines):
    login(client, deputy_user)

    assert client.get(reverse("console:notifications")).status_code == 403

    (line,) = _events(security_lines, "permission_denied")
    assert line["username"] == "deputy"
    assert line["path"] == reverse("console:notifications")
    assert line["detail"] == "can_use_console"
