"""The role × action matrix (SECURITY S2): tests/access_matrix.csv says, for every page and API
list of the platform and every role, what the role gets; this test asks the running platform.

Outcomes: `ok` (2xx), `login` (sent to log in, or 401 from the API), `deny` (403, or 404 where a
scope hides the page), `away` (redirected elsewhere: a role landing on the page meant for it),
`post` (the action exists for this role only as a POST — exports, which are logged).
Change the file and the code together: a row is a decision about who may do what.
"""

import csv
from pathlib import Path

import pytest
from django.urls import reverse

MATRIX = Path(__file__).with_name("access_matrix.csv")
ROLES = (
    "anonymous", "staff_admin", "staff_clerk", "leader", "member", "deputy", "unit_officer",
    "township_officer", "station_keeper", "auditor", "system_admin",
)
PERSONAS = {
    "staff_admin": "staff_admin", "staff_clerk": "staff_clerk", "leader": "leader", "member": "member",
    "deputy": "deputy", "unit_officer": "unit_officer", "township_officer": "township_officer_a",
    "station_keeper": "station_keeper", "auditor": "auditor", "system_admin": "system_admin",
}


def rows():
    with MATRIX.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if not row["url_name"].startswith("#")]


def outcome(response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if status == 401 or (status == 302 and response["Location"].startswith(reverse("accounts:login"))):
        return "login"
    if status in (403, 404):
        return "deny"
    if status in (301, 302):
        return "away"
    if status == 405:
        return "post"
    return f"status {status}"


def test_the_matrix_names_every_role_once():
    assert tuple(csv.DictReader(MATRIX.open(encoding="utf-8")).fieldnames) == ("url_name", *ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(role, request, client, login, settings):
    settings.OTP_REQUIRED = False  # the second factor has its own tests; this is about roles
    request.getfixturevalue("district_body")  # the institution exists, whoever looks at it
    if role != "anonymous":
        persona = request.getfixturevalue(PERSONAS[role])
        login(client, persona.user if role == "deputy" else persona)
    wrong = []
    for row in rows():
        got = outcome(client.get(reverse(row["url_name"])))
        if got != row[role]:
            wrong.append(f"{row['url_name']}: expected {row[role]}, got {got}")
    assert wrong == []
