"""Stations: creation in scope, QR public codes, deputies stationed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Event
from contact_stations import services
from contact_stations.models import Station, StationDeputy


def test_town_officer_opens_a_station_in_their_town_with_a_random_public_code(
    township_officer_a, township_body_a, village_a
):
    station = services.station_create(
        actor=township_officer_a, body=township_body_a, region=village_a, kind=Station.Kind.VILLAGE_STATION,
        name="西山社区第二联络站", latitude="24.731000", longitude="118.151000",
    )
    other = services.station_create(
        actor=township_officer_a, body=township_body_a, region=village_a, kind=Station.Kind.VILLAGE_STATION,
        name="西山社区第三联络站",
    )
    assert len(station.public_code) >= 12 and station.public_code != other.public_code
    assert Event.objects.for_object(station).get().verb == "created"


def test_other_town_cannot_open_a_station_here(township_officer_b, township_body_a, village_a):
    with pytest.raises(PermissionDenied):
        services.station_create(
            actor=township_officer_b, body=township_body_a, region=village_a, kind="village_station", name="x"
        )


def test_coordinates_come_in_pairs(township_officer_a, township_body_a, village_a):
    with pytest.raises(ValidationError):
        services.station_create(
            actor=township_officer_a, body=township_body_a, region=village_a, kind="village_station", name="x",
            latitude="24.7",
        )


def test_regenerated_code_kills_the_old_links(station_a, township_officer_a):
    old = station_a.public_code
    services.station_regenerate_public_code(actor=township_officer_a, station=station_a)
    assert station_a.public_code != old
    assert not Station.objects.filter(public_code=old).exists()


def test_stationing_a_deputy_is_idempotent_and_can_end(station_a, deputy, township_officer_a):
    for since in (datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)):
        services.station_assign_deputy(actor=township_officer_a, station=station_a, deputy=deputy, since=since)
    assert StationDeputy.objects.filter(station=station_a, deputy=deputy).count() == 1

    services.station_release_deputy(
        actor=township_officer_a, station=station_a, deputy=deputy, until=datetime.date(2026, 6, 30)
    )
    assert not StationDeputy.objects.current().filter(station=station_a, deputy=deputy).exists()
    assert list(deputy.stations.all()) == [station_a]
