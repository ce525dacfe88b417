"""`/api/v1/activities/`: township offices record their deputies' duty activities; a deputy's own
report through the API waits for verification; every list and detail is scoped (SECURITY S3)."""

import pytest
from rest_framework.test import APIClient

from deputies.models import DutyActivity
from tests.factories.deputies import participate

URL = "/api/v1/activities/"


def _payload(body, *participants, kind="voter_visit", attendance="present"):
    return {
        "body": body.pk, "kind": kind, "date": "2026-03-02", "title": "走访选民",
        "participants": [{"deputy": deputy.pk, "attendance": attendance} for deputy in participants],
    }


def test_anonymous_gets_401(db):
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(URL, {}, format="json").status_code == 401


def test_township_office_records_an_activity_of_its_own_deputy_and_it_counts_at_once(
    township_deputy_a, township_officer_a, api_client_for
):
    response = api_client_for(township_officer_a).post(
        URL, _payload(township_deputy_a.body, township_deputy_a), format="json"
    )

    assert response.status_code == 201, response.json()
    activity = DutyActivity.objects.get(pk=response.json()["id"])
    assert (activity.state, activity.source) == (DutyActivity.State.VERIFIED, DutyActivity.Source.STAFF)
    assert response.json()["participants"] == [
        {"deputy": township_deputy_a.pk, "deputy_name": township_deputy_a.name, "attendance": "present", "note": ""}
    ]


def test_township_office_cannot_record_for_district_or_other_town_deputies(
    district_deputy_a, township_deputy_b, township_officer_a, api_client_for
):
    client = api_client_for(township_officer_a)

    district = client.post(URL, _payload(district_deputy_a.body, district_deputy_a), format="json")
    other_town = client.post(URL, _payload(township_deputy_b.body, township_deputy_b), format="json")

    # The district congress and town B's deputies are out of town A's reach: "no such object".
    assert district.status_code == 400 and "body" in district.json()["fields"]
    assert other_town.status_code == 400 and "participants" in other_town.json()["fields"]
    assert not DutyActivity.objects.exists()


def test_a_reader_who_keeps_no_roster_cannot_record_for_others(district_deputy_a, leader, api_client_for):
    response = api_client_for(leader).post(URL, _payload(district_deputy_a.body, district_deputy_a), format="json")

    assert response.status_code == 403
    assert not DutyActivity.objects.exists()


def test_a_deputys_own_report_through_the_api_waits_for_verification(deputy, deputy_user, api_client_for):
    response = api_client_for(deputy_user).post(URL, _payload(deputy.body, deputy), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["state"] == DutyActivity.State.PENDING
    activity = DutyActivity.objects.get(pk=response.json()["id"])
    assert (activity.source, activity.reported_by) == (DutyActivity.Source.SELF_REPORTED, deputy_user)


def test_state_is_not_writable(deputy, deputy_user, api_client_for):
    payload = {**_payload(deputy.body, deputy), "state": "verified", "source": "staff"}

    response = api_client_for(deputy_user).post(URL, payload, format="json")

    assert response.json()["state"] == DutyActivity.State.PENDING


def test_lists_and_details_are_scoped_to_the_town(
    township_deputy_a, township_deputy_b, district_deputy_a, district_deputy_b, township_officer_a, api_client_for
):
    (own,) = participate(township_deputy_a)
    (other,) = participate(township_deputy_b)
    (shared,) = participate(district_deputy_a)
    shared.participations.create(deputy=district_deputy_b)
    client = api_client_for(township_officer_a)

    response = client.get(URL)

    assert {row["id"] for row in response.json()["results"]} == {own.pk, shared.pk}
    rows = {row["id"]: row for row in response.json()["results"]}
    # Town B's deputy at the same district meeting is not named to town A.
    assert [item["deputy"] for item in rows[shared.pk]["participants"]] == [district_deputy_a.pk]
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{own.pk}/").status_code == 200
    assert client.get(URL, {"deputy": township_deputy_b.pk}).json()["count"] == 0


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_activities(
    count, district_deputy_a, staff_clerk, api_client_for, django_assert_max_num_queries
):
    participate(district_deputy_a, times=count)

    with django_assert_max_num_queries(12):
        response = api_client_for(staff_clerk).get(URL, {"page_size": 100})

    assert response.json()["count"] == count
