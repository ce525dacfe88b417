"""`/api/v1/deputies/` for township offices' systems (DESIGN §7, SECURITY S3/S4/S17).

A township office reads and writes its own township congress's deputies and reads the district
deputies elected in its town; another town's deputies are a 404 on every verb, district deputies
are read-only (403 on write), ID numbers and phones are write-only and come back masked, and status
cannot be written.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from congress.models import Event
from deputies.models import Deputy
from tests.factories.deputies import DeputyFactory, TownshipDeputyFactory, id_number

URL = "/api/v1/deputies/"


@pytest.fixture
def roster(district_deputy_a, district_deputy_b, township_deputy_a, township_deputy_b):
    return {
        "district_a": district_deputy_a,
        "district_b": district_deputy_b,
        "township_a": township_deputy_a,
        "township_b": township_deputy_b,
    }


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_gets_401(db):
    for url in (URL, f"{URL}1/"):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_township_officer_lists_own_township_deputies_and_district_deputies_elected_in_town(
    roster, township_officer_a, api_client_for
):
    response = api_client_for(township_officer_a).get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert _ids(response) == {roster["township_a"].pk, roster["district_a"].pk}
    assert response["Cache-Control"] == "no-store"
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[roster["township_a"].pk]["can_edit"] is True
    assert rows[roster["district_a"].pk]["can_edit"] is False


def test_id_number_and_phone_are_masked_in_the_output(roster, township_officer_a, api_client_for):
    deputy = roster["township_a"]

    response = api_client_for(township_officer_a).get(f"{URL}{deputy.pk}/")

    body = response.content.decode()
    assert deputy.id_number not in body and deputy.phone not in body
    assert response.json()["id_number"] == deputy.masked_id_number
    assert response.json()["phone"] == deputy.masked_phone


def test_another_towns_deputy_is_404_on_every_verb(roster, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)
    other = roster["township_b"]

    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.patch(f"{URL}{other.pk}/", {"occupation": "农民"}, format="json").status_code == 404
    assert client.put(f"{URL}{other.pk}/", {"name": "x", "gender": "male"}, format="json").status_code == 404
    assert client.get(URL, {"body": other.body_id}).json()["count"] == 0
    other.refresh_from_db()
    assert other.occupation != "农民"


def test_district_deputies_are_read_only_for_a_township_office(roster, township_officer_a, api_client_for):
    deputy = roster["district_a"]

    response = api_client_for(township_officer_a).patch(f"{URL}{deputy.pk}/", {"occupation": "农民"}, format="json")

    assert response.status_code == 403
    deputy.refresh_from_db()
    assert deputy.occupation != "农民"


def test_township_office_updates_its_own_deputy_but_not_the_status(roster, township_officer_a, api_client_for):
    deputy = roster["township_a"]

    response = api_client_for(township_officer_a).patch(
        f"{URL}{deputy.pk}/",
        {"occupation": "村医", "phone": "13600001111", "status": "deceased", "state": "x"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    deputy.refresh_from_db()
    assert (deputy.occupation, deputy.phone, deputy.status) == ("村医", "13600001111", Deputy.Status.SERVING)
    assert response.json()["phone"] == "136****1111"
    assert Event.objects.for_object(deputy).get(verb="updated").actor == township_officer_a


def test_township_office_creates_a_deputy_of_its_own_township_congress(
    township_body_a, township_officer_a, api_client_for
):
    term = township_body_a.terms.get(is_current=True) if township_body_a.terms.exists() else None
    if term is None:
        from tests.factories.congress import TermFactory

        term = TermFactory(body=township_body_a)
    payload = {
        "body": township_body_a.pk, "term": term.pk, "name": "郑新代表", "gender": "female",
        "id_number": id_number(901), "phone": "13912345678", "sector": "farmers", "status": "deceased",
    }

    response = api_client_for(township_officer_a).post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    created = Deputy.objects.get(pk=response.json()["id"])
    assert (created.name, created.body, created.status) == ("郑新代表", township_body_a, Deputy.Status.SERVING)
    assert created.id_number == id_number(901)
    assert response.json()["id_number"] == created.masked_id_number
    assert id_number(901) not in response.content.decode()


def test_township_office_cannot_create_district_or_other_town_deputies(
    district_body, township_body_b, township_officer_a, api_client_for
):
    client = api_client_for(township_officer_a)
    district_term = district_body.terms.get(is_current=True)

    district = client.post(
        URL, {"body": district_body.pk, "term": district_term.pk, "name": "x", "gender": "male"}, format="json"
    )
    other_town = client.post(URL, {"body": township_body_b.pk, "term": 1, "name": "x", "gender": "male"}, format="json")

    # Neither congress is in town A's reach, so either reads as "no such object".
    for response in (district, other_town):
        assert response.status_code == 400
        assert "body" in response.json()["fields"]
    assert not Deputy.objects.filter(name="x").exists()


def test_an_invalid_id_number_is_a_400_with_the_field(township_body_a, township_officer_a, api_client_for):
    term = TownshipDeputyFactory(body=township_body_a).term
    wrong = id_number(902)[:17] + ("0" if id_number(902)[17] != "0" else "1")

    response = api_client_for(township_officer_a).post(
        URL, {"body": township_body_a.pk, "term": term.pk, "name": "错号", "gender": "male", "id_number": wrong},
        format="json",
    )

    assert response.status_code == 400
    assert "id_number" in response.json()["fields"]


def test_filters_and_updated_since(roster, staff_clerk, api_client_for):
    client = api_client_for(staff_clerk)
    Deputy.objects.filter(pk=roster["district_a"].pk).update(updated_at=timezone.now() - datetime.timedelta(days=10))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    recent = client.get(URL, {"updated_since": since})
    town_a = client.get(URL, {"town": roster["township_a"].body.region_id})
    district = client.get(URL, {"body": roster["district_a"].body_id})

    assert roster["district_a"].pk not in _ids(recent) and roster["district_b"].pk in _ids(recent)
    assert _ids(town_a) == {roster["township_a"].pk, roster["district_a"].pk}
    assert _ids(district) == {roster["district_a"].pk, roster["district_b"].pk}


@pytest.mark.parametrize("count", [5, 40])
def test_list_query_count_does_not_grow_with_the_roster(
    count, district_body, staff_clerk, api_client_for, django_assert_max_num_queries
):
    DeputyFactory.create_batch(count, body=district_body)
    client = api_client_for(staff_clerk)

    with django_assert_max_num_queries(12):
        response = client.get(URL, {"page_size": 100})

    assert response.json()["count"] == count
