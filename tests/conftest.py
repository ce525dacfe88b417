"""Named personas of the district, shared by every test.

The district 同安区 with two towns (A: 大同街道, B: 祥平街道), their township congresses, the
卫健局 as a handling unit, and one user per role. Log a persona in with `login(client, user)` or
get an API client with `api_client_for(user)` (a real token through the real authentication).
"""

import pytest
from rest_framework.test import APIClient

from congress import services
from congress.models.accounts import Role
from congress.notifications import sms
from tests.factories.congress import (
    BodyFactory,
    CommitteeFactory,
    DistrictFactory,
    TermFactory,
    TownFactory,
    TownshipBodyFactory,
    UnitFactory,
    user_with_role,
)


@pytest.fixture
def district(db):
    return DistrictFactory()


@pytest.fixture
def town_a(district):
    return TownFactory(parent=district, code="350212001", name="大同街道", kind="street")


@pytest.fixture
def town_b(district):
    return TownFactory(parent=district, code="350212002", name="祥平街道", kind="street")


@pytest.fixture
def district_body(district):
    body = BodyFactory(region=district)
    TermFactory(body=body)
    return body


@pytest.fixture
def township_body_a(town_a, district_body):
    return TownshipBodyFactory(region=town_a, parent=district_body, name="大同街道人民代表大会")


@pytest.fixture
def township_body_b(town_b, district_body):
    return TownshipBodyFactory(region=town_b, parent=district_body, name="祥平街道人民代表大会")


@pytest.fixture
def committee(district_body):
    return CommitteeFactory(body=district_body, name="教育科学文化卫生工作委员会")


@pytest.fixture
def health_bureau(district):
    return UnitFactory(region=district, name="同安区卫生健康局", short_name="卫健局")


@pytest.fixture
def town_a_government(town_a):
    return UnitFactory(region=town_a, name="大同街道办事处", kind="township")


@pytest.fixture
def town_b_government(town_b):
    return UnitFactory(region=town_b, name="祥平街道办事处", kind="township")


@pytest.fixture
def staff_admin(district_body):
    return user_with_role(Role.STAFF_ADMIN, username="staff_admin", body=district_body)


@pytest.fixture
def staff_clerk(district_body):
    return user_with_role(Role.STAFF_CLERK, username="staff_clerk", body=district_body)


@pytest.fixture
def leader(district_body):
    return user_with_role(Role.LEADER, username="leader", body=district_body)


@pytest.fixture
def member(district_body):
    return user_with_role(Role.MEMBER, username="member", body=district_body)


@pytest.fixture
def deputy_user(district_body):
    return user_with_role(Role.DEPUTY, username="deputy", body=district_body)


@pytest.fixture
def unit_officer(health_bureau):
    return user_with_role(Role.UNIT_OFFICER, username="unit_officer", unit=health_bureau)


@pytest.fixture
def township_officer_a(town_a, township_body_a):
    return user_with_role(Role.TOWNSHIP_OFFICER, username="township_a", region=town_a)


@pytest.fixture
def township_officer_b(town_b, township_body_b):
    return user_with_role(Role.TOWNSHIP_OFFICER, username="township_b", region=town_b)


@pytest.fixture
def station_keeper(town_a):
    return user_with_role(Role.STATION_KEEPER, username="station_keeper", region=town_a)


@pytest.fixture
def auditor(district_body):
    return user_with_role(Role.AUDITOR, username="auditor", body=district_body)


@pytest.fixture
def system_admin(db):
    return user_with_role(Role.SYSTEM_ADMIN, username="system_admin")


@pytest.fixture
def login():
    """Log a user in on a test client through the real session machinery."""

    def _login(client, user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def api_client_for(db):
    """An API client carrying a real token issued to the user."""

    def _client(user):
        _token, key = services.api_token_issue(actor=None, user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return _client


def pytest_configure(config):
    """Install the test-only app `tests.workflow_app` (a tiny workflow model, with its migration).

    pytest-django calls django.setup() in `pytest_load_initial_conftests`, before this conftest is
    even imported, so appending to INSTALLED_APPS alone would be too late: the app registry is
    re-populated the way `override_settings(INSTALLED_APPS=...)` does it.
    """
    from django.apps import apps
    from django.conf import settings

    if "tests.workflow_app" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.workflow_app"]
        if apps.ready:
            apps.set_installed_apps(settings.INSTALLED_APPS)


@pytest.fixture(autouse=True)
def celery_eager():
    """Run Celery tasks in the test process; the `worker` tests turn this off for a real worker."""
    from congress.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield celery_app
    celery_app.conf.task_always_eager = previous


# ---- deputies --------------------------------------------------------------------------------


@pytest.fixture
def deputy(deputy_user, district_body):
    """The `deputy_user` persona's own mandate in the district congress (a Deputy row)."""
    from tests.factories.deputies import DeputyFactory

    return DeputyFactory(body=district_body, user=deputy_user, name="林代表")


# ---- the demo district ----------------------------------------------------------------------

# What the small demo district builds of each app; `demo_district.sizes.update(...)` adds more.
SMALL_DEMO_SIZES = {
    "district_deputies": 14,
    "township_deputies": 16,
    "standing_committee_members": 3,
    "district_leaders": 2,
}


@pytest.fixture
def demo_district(db):
    """A small demo district (2 towns, 4 villages, every unit, the ten demo accounts) for the tests of
    the apps' `demo.py`: build an app's data on it with `<app>.demo.build(demo_district)`.

    Do not mix it with the named personas above: both are the district 同安区 (code 350212)."""
    from congress.demo import DemoDistrict
    from tests.factories.congress import DEFAULT_PASSWORD

    demo = DemoDistrict(2026, towns=2, villages=4, sizes=SMALL_DEMO_SIZES).build()
    demo.accounts(password=DEFAULT_PASSWORD)
    return demo


@pytest.fixture
def demo_deputies(demo_district):
    """The small demo district with its deputies' demo data (deputies.demo.build) already built."""
    from deputies import demo

    demo_district.begin_app("deputies")
    demo.build(demo_district)
    return demo_district


@pytest.fixture
def sms_outbox(settings):
    """Text messages go to `congress.notifications.sms.outbox` instead of a gateway."""
    settings.SMS_BACKEND = "congress.notifications.sms.MemorySmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def isolated_rate_limits(settings, request):
    """Each test counts congress.ratelimit hits in a fresh local cache, so counts never leak
    between tests (or test runs) through a shared Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid},
    }
    settings.RATELIMIT_CACHE = "ratelimit"


@pytest.fixture
def security_lines(caplog):
    """The structured security log lines (SECURITY S20) written during the test, by event code."""
    import json
    import logging

    security_logger = logging.getLogger("tongxin.security")
    security_logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tongxin.security")

    def lines(code):
        records = (json.loads(r.getMessage()) for r in caplog.records if r.name == "tongxin.security")
        return [line for line in records if line["event"] == code]

    yield lines
    security_logger.removeHandler(caplog.handler)
