"""The stations of the named district: a village station and the town room in town A (kept by the
`station_keeper` persona, the `deputy` persona stationed at the village station), and a village
station in town B. Citizens' phones are fictitious."""

import datetime

import pytest

from tests.factories.congress import VillageFactory
from tests.factories.stations import StationDeputyFactory, StationFactory

CITIZEN_PHONE = "13912345678"
OTHER_PHONE = "13787654321"


@pytest.fixture
def village_a(town_a):
    return VillageFactory(parent=town_a, code="350212001201", name="西山社区")


@pytest.fixture
def village_b(town_b):
    return VillageFactory(parent=town_b, code="350212002201", name="东溪村")


@pytest.fixture
def station_a(township_body_a, village_a, station_keeper):
    return StationFactory(
        body=township_body_a, region=village_a, name="西山社区代表联络站", keeper=station_keeper
    )


@pytest.fixture
def town_room_a(township_body_a, town_a):
    from contact_stations.models import Station

    return StationFactory(
        body=township_body_a, region=town_a, name="大同街道人大代表活动室", kind=Station.Kind.TOWN_ROOM
    )


@pytest.fixture
def station_b(township_body_b, village_b):
    return StationFactory(body=township_body_b, region=village_b, name="东溪村代表联络站")


@pytest.fixture
def stationed_deputy(deputy, station_a):
    """The `deputy` persona (林代表, account `deputy_user`) stationed at station A."""
    StationDeputyFactory(station=station_a, deputy=deputy, since=datetime.date(2022, 1, 1))
    return deputy


@pytest.fixture
def other_deputy(district_body, station_a):
    """A second deputy stationed at station A, with an account of their own."""
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role
    from tests.factories.deputies import DeputyFactory

    user = user_with_role(Role.DEPUTY, username="deputy_two", body=district_body)
    other = DeputyFactory(body=district_body, user=user, name="郑代表")
    StationDeputyFactory(station=station_a, deputy=other)
    return other


@pytest.fixture
def request_sms_code(sms_outbox, django_capture_on_commit_callbacks):
    """Request a code for a phone through the service and return the code the citizen received."""
    import re

    from contact_stations import services

    def _request(phone=CITIZEN_PHONE, ip="10.0.0.1", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            services.sms_code_request(phone=phone, ip=ip, **kwargs)
        return re.search(r"\b(\d{6})\b", sms_outbox[-1]["message"]).group(1)

    return _request
