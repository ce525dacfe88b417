"""`/api/v1/stations/` and `/api/v1/stations/{id}/shifts/`: a township office reads its own town's
stations and writes their shifts; another town's station is a 404 everywhere (SECURITY S3)."""

import datetime

import pytest
from rest_framework.test import APIClient

from congress.models import IdempotencyKey
from contact_stations.models import DutyShift, ShiftDuty
from tests.factories.stations import DutyShiftFactory, ShiftDutyFactory, StationDeputyFactory, StationFactory

URL = "/api/v1/stations/"


def shifts_url(station):
    return f"{URL}{station.pk}/shifts/"


def _shift_payload(*deputies, **overrides):
    return {
        "kind": "leader_visit", "date": "2026-12-28", "start_time": "09:00", "end_time": "11:00",
        "deputies": [deputy.pk for deputy in deputies], "note": "领导进室站", **overrides,
    }


def test_anonymous_gets_401(station_a):
    assert APIClient().get(URL).status_code == 401
    assert APIClient().get(shifts_url(station_a)).status_code == 401
    assert APIClient().post(shifts_url(station_a), _shift_payload(), format="json").status_code == 401


def test_township_office_lists_its_own_towns_stations_with_their_deputies(
    station_a, town_room_a, station_b, stationed_deputy, township_officer_a, api_client_for
):
    response = api_client_for(township_officer_a).get(URL)

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {station_a.pk, town_room_a.pk}
    assert rows[station_a.pk]["deputies"] == [
        {"deputy": stationed_deputy.pk, "name": stationed_deputy.name, "since": "2022-01-01"}
    ]
    assert rows[station_a.pk]["keeper_name"] == station_a.keeper.display_name
    assert response["Cache-Control"] == "no-store"


def test_another_towns_station_and_its_shifts_are_404(station_b, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)
    DutyShiftFactory(station=station_b)

    assert client.get(f"{URL}{station_b.pk}/").status_code == 404
    assert client.get(shifts_url(station_b)).status_code == 404
    created = client.post(shifts_url(station_b), _shift_payload(), format="json")
    assert created.status_code == 404 and created.json()["code"] == "not_found"
    assert DutyShift.objects.filter(station=station_b).count() == 1


def test_station_list_costs_a_bounded_number_of_queries(
    township_body_a, village_a, township_officer_a, api_client_for, django_assert_max_num_queries
):
    client = api_client_for(township_officer_a)
    client.get(URL)  # warm the token's last-used touch
    for index in range(12):
        station = StationFactory(body=township_body_a, region=village_a, name=f"站{index}")
        StationDeputyFactory(station=station)

    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.json()["count"] == 12


def test_filters_by_kind_and_updated_since(station_a, town_room_a, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)

    rooms = client.get(URL, {"kind": "town_room"}).json()["results"]
    later = client.get(URL, {"updated_since": "2999-01-01T00:00:00+08:00"}).json()["results"]

    assert [row["id"] for row in rooms] == [town_room_a.pk]
    assert later == []


def test_a_deputy_reads_the_stations_they_are_stationed_at_only(
    station_a, station_b, stationed_deputy, deputy_user, api_client_for
):
    response = api_client_for(deputy_user).get(URL)

    assert [row["id"] for row in response.json()["results"]] == [station_a.pk]


# ---- shifts -------------------------------------------------------------------------------------


def test_township_office_adds_a_one_off_shift_and_the_workflow_fields_are_not_writable(
    station_a, stationed_deputy, township_officer_a, api_client_for
):
    payload = _shift_payload(stationed_deputy, state="held", visitor_count=99, notice_published_on="2026-01-01")

    response = api_client_for(township_officer_a).post(shifts_url(station_a), payload, format="json")

    assert response.status_code == 201, response.json()
    shift = DutyShift.objects.get(pk=response.json()["id"])
    assert (shift.station, shift.kind, shift.date) == (station_a, "leader_visit", datetime.date(2026, 12, 28))
    assert (shift.state, shift.visitor_count, shift.notice_published_on) == (DutyShift.State.PLANNED, None, None)
    assert list(shift.duties.values_list("deputy_id", flat=True)) == [stationed_deputy.pk]
    assert response.json()["duties"][0]["name"] == stationed_deputy.name


def test_a_shift_that_ends_before_it_starts_is_refused_with_field_errors(
    station_a, township_officer_a, api_client_for
):
    response = api_client_for(township_officer_a).post(
        shifts_url(station_a), _shift_payload(start_time="11:00", end_time="09:00"), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "end_time" in response.json()["fields"]
    assert not DutyShift.objects.exists()


def test_readers_who_do_not_run_the_station_cannot_add_shifts(station_a, leader, api_client_for):
    response = api_client_for(leader).post(shifts_url(station_a), _shift_payload(), format="json")

    assert response.status_code == 403
    assert not DutyShift.objects.exists()


def test_a_retried_shift_post_with_the_same_key_creates_one_shift(station_a, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)
    headers = {"HTTP_IDEMPOTENCY_KEY": "shift-2026-12-28"}

    first = client.post(shifts_url(station_a), _shift_payload(), format="json", **headers)
    retry = client.post(shifts_url(station_a), _shift_payload(), format="json", **headers)
    reused = client.post(shifts_url(station_a), _shift_payload(date="2026-12-29"), format="json", **headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert DutyShift.objects.count() == 1
    assert IdempotencyKey.objects.get().path == shifts_url(station_a)


def test_shift_list_is_filtered_and_bounded_in_queries(
    station_a, township_officer_a, api_client_for, django_assert_max_num_queries
):
    client = api_client_for(township_officer_a)
    client.get(URL)
    for day in range(1, 11):
        shift = DutyShiftFactory(station=station_a, date=datetime.date(2026, 6, day))
        ShiftDutyFactory(shift=shift)
        ShiftDutyFactory(shift=shift)

    with django_assert_max_num_queries(8):
        response = client.get(shifts_url(station_a), {"date_from": "2026-06-06"})

    rows = response.json()["results"]
    assert [row["date"] for row in rows] == [f"2026-06-{day:02d}" for day in range(6, 11)]
    assert all(len(row["duties"]) == 2 for row in rows)
    assert ShiftDuty.objects.count() == 20


@pytest.mark.parametrize("persona", ["township_officer_b", "unit_officer"])
def test_outsiders_see_no_shifts_of_the_station(persona, station_a, request, api_client_for):
    DutyShiftFactory(station=station_a)
    user = request.getfixturevalue(persona)

    assert api_client_for(user).get(shifts_url(station_a)).status_code == 404
