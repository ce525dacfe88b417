"""`/api/v1/opinions/` and `/api/v1/opinions/{id}/transitions/`: a township office records, reads
and moves its own town's opinions; personal data comes back masked; workflow fields are read-only;
another town's opinion is a 404 for reading and for every transition (SECURITY S3, S4, S5, S17)."""

import threading

import pytest
from django.db import close_old_connections
from rest_framework.test import APIClient

from congress.models import Event, IdempotencyKey
from contact_stations.models import Opinion
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import OpinionFactory

URL = "/api/v1/opinions/"
State = Opinion.State


def transitions_url(opinion):
    return f"{URL}{opinion.pk}/transitions/"


def _payload(station, **overrides):
    return {
        "source": "reception", "content": "西山社区3号楼门口路灯不亮。", "station": station.pk, "category": "urban",
        "citizen_name": "张三丰", "citizen_phone": CITIZEN_PHONE, "consent": True, **overrides,
    }


@pytest.fixture
def opinion_a(station_a):
    return OpinionFactory(station=station_a, citizen_name="李四", citizen_phone=CITIZEN_PHONE)


@pytest.fixture
def opinion_b(station_b):
    return OpinionFactory(station=station_b)


def test_anonymous_gets_401(opinion_a):
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(transitions_url(opinion_a), {"transition": "acknowledge"}, format="json").status_code == 401


# ---- reading ------------------------------------------------------------------------------------


def test_township_office_lists_its_towns_opinions_masked(opinion_a, opinion_b, township_officer_a, api_client_for):
    response = api_client_for(township_officer_a).get(URL)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == opinion_a.pk
    assert row["citizen_phone"] == "139****5678" and row["citizen_name"] == "李*"
    assert CITIZEN_PHONE not in response.content.decode()
    assert row["ack_due"] == opinion_a.ack_due.isoformat() and row["state"] == State.RECEIVED
    assert response["Cache-Control"] == "no-store"


def test_another_towns_opinion_is_404_for_detail_and_every_transition(
    opinion_b, township_officer_a, api_client_for
):
    client = api_client_for(township_officer_a)

    assert client.get(f"{URL}{opinion_b.pk}/").status_code == 404
    for transition in ("acknowledge", "route_to_town", "answer", "close", "reopen"):
        response = client.post(
            transitions_url(opinion_b), {"transition": transition, "text": "x", "reason": "x"}, format="json"
        )
        assert response.status_code == 404, transition
    opinion_b.refresh_from_db()
    assert opinion_b.state == State.RECEIVED
    assert not Event.objects.for_object(opinion_b).exists()


def test_filters_state_station_overdue_and_updated_since(station_a, town_room_a, township_officer_a, api_client_for):
    import datetime

    late = OpinionFactory(station=station_a, received_on=datetime.date(2020, 1, 6))
    fresh = OpinionFactory(station=town_room_a, received_on=datetime.date(2099, 1, 5), state=State.ACKNOWLEDGED)
    client = api_client_for(township_officer_a)

    def ids(**params):
        return [row["id"] for row in client.get(URL, params).json()["results"]]

    assert ids(overdue="true") == [late.pk]
    assert ids(overdue="false") == [fresh.pk]
    assert ids(state="acknowledged") == [fresh.pk]
    assert ids(station=town_room_a.pk) == [fresh.pk]
    assert ids(updated_since="2999-01-01T00:00:00Z") == []
    assert client.get(URL, {"overdue": "true"}).json()["results"][0]["overdue"] is True


def test_opinion_list_costs_a_bounded_number_of_queries(
    station_a, township_officer_a, api_client_for, django_assert_max_num_queries
):
    client = api_client_for(township_officer_a)
    client.get(URL)
    for _index in range(15):
        OpinionFactory(station=station_a)

    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.json()["count"] == 15


# ---- recording ----------------------------------------------------------------------------------


def test_township_office_records_an_opinion_and_workflow_fields_are_not_writable(
    station_a, township_officer_a, api_client_for
):
    payload = _payload(station_a, state="closed", receipt_code="AAAAAAAAAA", ack_due="2000-01-01", closed_at=None)

    response = api_client_for(township_officer_a).post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    opinion = Opinion.objects.get(pk=body["id"])
    assert opinion.state == State.RECEIVED and opinion.receipt_code != "AAAAAAAAAA"
    assert opinion.ack_due.isoformat() != "2000-01-01"
    assert (opinion.citizen_phone, opinion.source) == (CITIZEN_PHONE, "reception")
    assert opinion.recorded_by == township_officer_a
    assert body["citizen_phone"] == "139****5678" and body["citizen_name"] == "张**"
    assert body["ack_due_basis"]["rule"] == "opinion_ack_working_days"


def test_recording_at_another_towns_station_reads_as_no_such_station(
    station_b, township_officer_a, api_client_for
):
    response = api_client_for(township_officer_a).post(URL, _payload(station_b), format="json")

    assert response.status_code == 400 and "station" in response.json()["fields"]
    assert not Opinion.objects.exists()


def test_contact_details_without_consent_are_refused(station_a, township_officer_a, api_client_for):
    response = api_client_for(township_officer_a).post(URL, _payload(station_a, consent=False), format="json")

    assert response.status_code == 400 and "consent" in response.json()["fields"]


def test_a_retried_post_with_the_same_key_records_one_opinion(station_a, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)

    first = client.post(URL, _payload(station_a), format="json", HTTP_IDEMPOTENCY_KEY="op-1")
    retry = client.post(URL, _payload(station_a), format="json", HTTP_IDEMPOTENCY_KEY="op-1")
    other = client.post(URL, _payload(station_a, content="另一件事"), format="json", HTTP_IDEMPOTENCY_KEY="op-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json()["receipt_code"] == first.json()["receipt_code"]
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Opinion.objects.count() == 1
    # The stored replay holds only what the client was shown: masked contact details.
    assert CITIZEN_PHONE not in str(IdempotencyKey.objects.get().response_body)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_the_same_key_record_one_opinion(station_a, township_officer_a, api_client_for):
    clients = [api_client_for(township_officer_a), api_client_for(township_officer_a)]
    barrier = threading.Barrier(2)
    results = []

    def send(client):
        try:
            barrier.wait(timeout=10)
            response = client.post(URL, _payload(station_a), format="json", HTTP_IDEMPOTENCY_KEY="op-race")
            results.append((response.status_code, response.json()))
        except Exception as error:  # noqa: BLE001 - surfaced by the assertions below
            results.append((error, None))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Opinion.objects.count() == 1, results
    statuses = sorted(status for status, _body in results)
    assert statuses in ([201, 201], [201, 409]), results
    receipts = {body["receipt_code"] for status, body in results if status == 201}
    assert receipts == {Opinion.objects.get().receipt_code}


# ---- transitions --------------------------------------------------------------------------------


def _move(client, opinion, transition, **fields):
    return client.post(transitions_url(opinion), {"transition": transition, **fields}, format="json")


def test_township_office_acknowledges_answers_and_closes(opinion_a, township_officer_a, town_a, api_client_for):
    client = api_client_for(township_officer_a)

    acknowledged = _move(client, opinion_a, "acknowledge")
    answered = _move(client, opinion_a, "answer", text="已联系路灯所，三天内修复。")
    closed = _move(client, opinion_a, "close")

    assert acknowledged.json()["state"] == State.ACKNOWLEDGED
    assert answered.json()["answers"][0]["text"] == "已联系路灯所，三天内修复。"
    assert answered.json()["answered_by_region"] == town_a.pk
    assert closed.status_code == 200 and closed.json()["state"] == State.CLOSED
    assert list(Event.objects.for_object(opinion_a).values_list("verb", flat=True)) == [
        "acknowledged", "answered", "closed"
    ]


def test_deputies_answer_on_the_spot_but_cannot_close(opinion_a, stationed_deputy, deputy_user, api_client_for):
    Opinion.objects.filter(pk=opinion_a.pk).update(deputy=stationed_deputy)  # addressed to them (their QR card)
    client = api_client_for(deputy_user)

    answered = _move(client, opinion_a, "answer_on_spot", text="现场答复：已报修。")
    closing = _move(client, opinion_a, "close")

    assert answered.status_code == 200 and answered.json()["state"] == State.ANSWERED_ON_SPOT
    assert closing.status_code == 403 and closing.json()["code"] == "permission_denied"
    opinion_a.refresh_from_db()
    assert opinion_a.state == State.ANSWERED_ON_SPOT


def test_staff_route_to_a_unit_which_answers(opinion_a, staff_clerk, unit_officer, health_bureau, api_client_for):
    routed = _move(api_client_for(staff_clerk), opinion_a, "route_to_unit", unit=health_bureau.pk, note="请卫健局办理")
    answered = _move(api_client_for(unit_officer), opinion_a, "answer", text="已安排整改。")

    assert routed.json()["state"] == State.PASSED_TO_UNIT and routed.json()["passed_to_unit"] == health_bureau.pk
    assert answered.json()["answered_by_unit"] == health_bureau.pk


def test_a_transition_missing_its_fields_is_a_400(opinion_a, township_officer_a, api_client_for):
    response = _move(api_client_for(township_officer_a), opinion_a, "decline", text="")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"channel", "text"}


def test_an_illegal_or_stale_transition_is_a_409_and_changes_nothing(opinion_a, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)

    illegal = _move(client, opinion_a, "close")
    stale = _move(client, opinion_a, "acknowledge", expected_state="acknowledged")

    assert (illegal.status_code, illegal.json()["code"]) == (409, "illegal_transition")
    assert (stale.status_code, stale.json()["code"]) == (409, "state_changed")
    opinion_a.refresh_from_db()
    assert opinion_a.state == State.RECEIVED


def test_a_retried_transition_with_the_same_key_is_applied_once(opinion_a, township_officer_a, api_client_for):
    client = api_client_for(township_officer_a)
    body = {"transition": "answer", "text": "已修复。"}

    first = client.post(transitions_url(opinion_a), body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    retry = client.post(transitions_url(opinion_a), body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert opinion_a.answers.count() == 1


def test_a_unit_cannot_write_the_answer_of_a_station_item_it_does_not_hold(opinion_a, unit_officer, api_client_for):
    # Not passed to the unit: the item is outside the unit's scope altogether.
    response = _move(api_client_for(unit_officer), opinion_a, "answer", text="x")

    assert response.status_code == 404
