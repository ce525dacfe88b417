"""The public station pages a citizen opens from a QR code or the directory: no login, public
facts only, bounded query counts."""

import datetime

import pytest
from django.urls import reverse

from contact_stations.models import DutyShift, Station
from tests.factories.stations import DutyShiftFactory, ShiftDutyFactory, StationDeputyFactory, StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced_shift(station_a, stationed_deputy):
    shift = DutyShiftFactory(
        station=station_a, date=datetime.date.today() + datetime.timedelta(days=5), state=DutyShift.State.PUBLISHED
    )
    ShiftDutyFactory(shift=shift, deputy=stationed_deputy)
    return shift


def test_directory_lists_open_stations_and_filters_by_town(client, station_a, town_room_a, station_b, town_a):
    suspended = StationFactory(body=station_a.body, region=station_a.region, status=Station.Status.SUSPENDED)

    everything = client.get(reverse("public:stations:directory"))
    in_town_a = client.get(reverse("public:stations:directory"), {"town": town_a.pk})

    assert everything.status_code == 200
    listed = {station.pk for station in everything.context["page_obj"]}
    assert listed == {station_a.pk, town_room_a.pk, station_b.pk}
    assert suspended.pk not in listed
    assert {station.pk for station in in_town_a.context["page_obj"]} == {station_a.pk, town_room_a.pk}
    assert f'data-lat="{station_a.latitude}"' in everything.content.decode()


def test_directory_filters_by_kind_and_name(client, station_a, town_room_a):
    by_kind = client.get(reverse("public:stations:directory"), {"kind": Station.Kind.TOWN_ROOM})
    by_name = client.get(reverse("public:stations:directory"), {"q": "西山"})
    bad_kind = client.get(reverse("public:stations:directory"), {"kind": "nonsense", "town": "x"})

    assert [station.pk for station in by_kind.context["page_obj"]] == [town_room_a.pk]
    assert [station.pk for station in by_name.context["page_obj"]] == [station_a.pk]
    assert bad_kind.status_code == 200 and len(bad_kind.context["page_obj"]) == 2


def test_directory_query_count_does_not_grow_with_stations(client, station_a, django_assert_max_num_queries):
    for _index in range(15):
        StationFactory(body=station_a.body, region=station_a.region)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("public:stations:directory"))

    assert len(response.context["page_obj"]) == 16


def test_station_page_shows_deputies_and_announced_reception_days(
    client, station_a, stationed_deputy, other_deputy, announced_shift, django_assert_max_num_queries
):
    DutyShiftFactory(station=station_a, date=announced_shift.date + datetime.timedelta(days=30))  # still planned

    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:stations:station", args=[station_a.public_code]))

    body = response.content.decode()
    assert response.status_code == 200
    assert station_a.name in body and station_a.address in body and station_a.opening_hours in body
    assert stationed_deputy.name in body and other_deputy.name in body
    assert list(response.context["shifts"]) == [announced_shift]
    assert announced_shift.date.isoformat() in body
    assert reverse("public:stations:submit_station", args=[station_a.public_code]) in body
    # Public facts only: the deputies' phones and ID numbers never reach the page.
    for deputy in (stationed_deputy, other_deputy):
        assert deputy.phone not in body and deputy.id_number not in body


def test_station_page_query_count_is_bounded_whatever_the_deputies(
    client, station_a, announced_shift, django_assert_max_num_queries
):
    for _index in range(8):
        StationDeputyFactory(station=station_a, deputy__body=station_a.body)
        ShiftDutyFactory(shift=announced_shift, deputy__body=station_a.body)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:stations:station", args=[station_a.public_code]))

    assert len(response.context["station"].current_assignments) == 9


def test_unknown_or_suspended_station_code_is_404(client, station_a):
    station_a.status = Station.Status.SUSPENDED
    station_a.save()

    assert client.get(reverse("public:stations:station", args=[station_a.public_code])).status_code == 404
    assert client.get(reverse("public:stations:station", args=["no-such-code"])).status_code == 404
    assert client.get(reverse("public:stations:submit_station", args=[station_a.public_code])).status_code == 404


def test_deputy_card_shows_stations_and_shifts_without_private_data(client, stationed_deputy, station_a,
                                                                    announced_shift):
    response = client.get(reverse("public:stations:deputy", args=[stationed_deputy.public_code]))

    body = response.content.decode()
    assert response.status_code == 200
    assert stationed_deputy.name in body and station_a.name in body
    assert list(response.context["shifts"]) == [announced_shift]
    assert reverse("public:stations:submit_deputy", args=[stationed_deputy.public_code]) in body
    assert stationed_deputy.phone not in body and stationed_deputy.id_number not in body



def test_the_deputy_card_is_found_by_public_code_only_and_an_old_pk_url_is_a_plain_404(client, stationed_deputy):
    old_paths = [f"/stations/deputy/{stationed_deputy.pk}/", f"/stations/deputy/{stationed_deputy.pk}/opinion/"]

    for old in old_paths:
        response = client.get(old, follow=False)
        assert response.status_code == 404, old
        assert "Location" not in response and stationed_deputy.public_code not in response.content.decode()
    assert client.get(reverse("public:stations:deputy", args=["not-a-code"])).status_code == 404
    assert client.get(reverse("public:stations:deputy", args=[stationed_deputy.public_code])).status_code == 200


def test_every_deputy_gets_a_distinct_unguessable_public_code(district_body):
    from tests.factories.deputies import DeputyFactory

    deputies = DeputyFactory.create_batch(20, body=district_body)
    codes = {deputy.public_code for deputy in deputies}

    assert len(codes) == 20
    assert all(len(code) == 12 and not code.isdigit() for code in codes)
    assert not codes & {str(deputy.pk) for deputy in deputies}


def test_the_station_page_links_its_deputies_by_public_code(client, station_a, stationed_deputy):
    body = client.get(reverse("public:stations:station", args=[station_a.public_code])).content.decode()

    assert reverse("public:stations:deputy", args=[stationed_deputy.public_code]) in body
    assert f"/stations/deputy/{stationed_deputy.pk}/" not in body


def test_deputy_card_of_a_deputy_no_longer_serving_is_404(client, stationed_deputy):
    type(stationed_deputy).objects.filter(pk=stationed_deputy.pk).update(status="resigned")

    assert client.get(reverse("public:stations:deputy", args=[stationed_deputy.public_code])).status_code == 404
    assert client.get(reverse("public:stations:submit_deputy", args=[stationed_deputy.public_code])).status_code == 404
