"""The opinion triage queue, an opinion's page with one action form per route, return visits and
the Excel export: each role in its scope, deputies never closing, stale pages failing cleanly."""

import datetime
import io
import json
import logging

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import Event
from contact_stations import services
from contact_stations.models import Opinion, Rating, ReturnVisit
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import OpinionFactory

BASE = "/console/stations/opinions/"
State = Opinion.State


def url(opinion, action=""):
    return f"{BASE}{opinion.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def opinion_a(station_a):
    return OpinionFactory(
        station=station_a, content="西山社区3号楼门口的路灯坏了一个月。", citizen_name="李四",
        citizen_phone=CITIZEN_PHONE,
    )


# ---- the queue -----------------------------------------------------------------------------------


def test_the_queue_shows_the_towns_open_opinions_most_urgent_first_with_overdue_highlighted(
    client, login, station_a, station_b, township_officer_a
):
    late = services.opinion_record(
        actor=township_officer_a, source="phone", content="路灯不亮。", station=station_a,
        received_on=datetime.date(2020, 1, 6),
    )
    fresh = OpinionFactory(station=station_a, received_on=timezone.localdate())
    OpinionFactory(station=station_a, state=State.CLOSED)
    OpinionFactory(station=station_b)

    response = login(client, township_officer_a).get(BASE)

    rows = list(response.context["page_obj"])
    assert [opinion.pk for opinion in rows] == [late.pk, fresh.pk]
    assert rows[0].is_overdue and not rows[1].is_overdue
    assert "table-danger" in response.content.decode()
    assert rows[0].ack_basis_text  # the rule that produced the date, shown on hover


def test_the_queue_filters_by_state_station_town_and_overdue(
    client, login, station_a, town_room_a, station_b, town_a, staff_clerk
):
    late = OpinionFactory(station=station_a, received_on=datetime.date(2020, 1, 6))
    room = OpinionFactory(station=town_room_a, state=State.ACKNOWLEDGED, received_on=timezone.localdate())
    other_town = OpinionFactory(station=station_b, received_on=timezone.localdate())
    login(client, staff_clerk)

    def pks(**params):
        return {opinion.pk for opinion in client.get(BASE, params).context["page_obj"]}

    assert pks() == {late.pk, room.pk, other_town.pk}
    assert pks(overdue="on") == {late.pk}
    assert pks(state="acknowledged") == {room.pk}
    assert pks(station=town_room_a.pk) == {room.pk}
    assert pks(town=town_a.pk) == {late.pk, room.pk}


def test_an_htmx_filter_returns_only_the_rows_fragment(client, login, opinion_a, township_officer_a):
    response = login(client, township_officer_a).get(BASE, {"overdue": ""}, HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "console/stations/_opinion_rows.html"
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_costs_the_same_queries_for_5_or_50_opinions(
    count, client, login, station_a, township_officer_a, django_assert_max_num_queries
):
    for _index in range(count):
        OpinionFactory(station=station_a)
    login(client, township_officer_a)

    with django_assert_max_num_queries(14):
        response = client.get(BASE)
    assert len(response.context["page_obj"]) == count


def test_unit_officers_see_only_what_was_passed_to_their_unit(client, login, opinion_a, station_a, unit_officer,
                                                             health_bureau):
    passed = OpinionFactory(station=station_a, state=State.PASSED_TO_UNIT, passed_to_unit=health_bureau)

    response = login(client, unit_officer).get(BASE)

    assert [opinion.pk for opinion in response.context["page_obj"]] == [passed.pk]
    assert client.get(url(opinion_a)).status_code == 404


def test_another_towns_opinion_is_404_for_page_and_actions(client, login, station_b, township_officer_a):
    opinion = OpinionFactory(station=station_b)
    login(client, township_officer_a)

    assert client.get(url(opinion)).status_code == 404
    assert client.post(url(opinion, "acknowledge"), {"acknowledge-expected_state": "received"}).status_code == 404
    opinion.refresh_from_db()
    assert opinion.state == State.RECEIVED


def test_deputies_and_auditors_cannot_open_the_queue(client, login, opinion_a, stationed_deputy, deputy_user, auditor):
    assert login(client, deputy_user).get(BASE).status_code == 403
    assert client.post(url(opinion_a, "close"), {"close-expected_state": "answered"}).status_code == 403
    assert login(client, auditor).get(BASE).status_code == 403


# ---- one opinion ---------------------------------------------------------------------------------


def test_the_page_shows_the_timeline_masked_contact_and_similar_open_opinions(
    client, login, opinion_a, station_a, township_officer_a, django_assert_max_num_queries
):
    twin = OpinionFactory(station=station_a, content="西山社区3号楼门口的路灯坏了，晚上很黑。")
    login(client, township_officer_a)
    client.post(url(opinion_a, "acknowledge"), {"acknowledge-expected_state": "received"})

    with django_assert_max_num_queries(30):
        response = client.get(url(opinion_a))

    body = response.content.decode()
    assert "139****5678" in body and CITIZEN_PHONE not in body and "李*" in body
    assert [event.verb for event in response.context["events"]] == ["acknowledged"]
    assert [other.pk for _score, other in response.context["similar"]] == [twin.pk]
    offered = [str(label) for _url, label, _style, _form in response.context["actions"]]
    assert "Answer" in offered or "答复" in offered
    assert not any(label in ("Close", "办结") for label in offered)


def test_township_officer_acknowledges_answers_and_closes_through_one_route_each(
    client, login, opinion_a, township_officer_a, town_a
):
    login(client, township_officer_a)

    client.post(url(opinion_a, "acknowledge"), {"acknowledge-expected_state": "received"})
    client.post(url(opinion_a, "answer"), {"answer-expected_state": "acknowledged", "answer-text": "已修复。"})
    client.post(url(opinion_a, "close"), {"close-expected_state": "answered"})

    opinion_a.refresh_from_db()
    assert (opinion_a.state, opinion_a.answered_by_region) == (State.CLOSED, town_a)
    assert list(Event.objects.for_object(opinion_a).values_list("verb", flat=True)) == [
        "acknowledged", "answered", "closed"
    ]
    assert ReturnVisit.objects.filter(opinion=opinion_a, round=1).exists()


def test_staff_route_to_a_unit_and_the_unit_answers_but_cannot_close_a_town_answer(
    client, login, opinion_a, staff_clerk, unit_officer, health_bureau
):
    login(client, staff_clerk).post(
        url(opinion_a, "route-to-unit"),
        {"route-to-unit-expected_state": "received", "route-to-unit-unit": health_bureau.pk},
    )
    opinion_a.refresh_from_db()
    assert (opinion_a.state, opinion_a.passed_to_unit) == (State.PASSED_TO_UNIT, health_bureau)

    login(client, unit_officer).post(
        url(opinion_a, "answer"), {"answer-expected_state": "passed_to_unit", "answer-text": "已安排整改。"}
    )
    opinion_a.refresh_from_db()
    assert (opinion_a.state, opinion_a.answered_by_unit) == (State.ANSWERED, health_bureau)


def test_a_unit_cannot_close_what_the_town_answered(client, login, station_a, town_a, unit_officer, health_bureau):
    opinion = OpinionFactory(
        station=station_a, state=State.ANSWERED, answered_by_region=town_a, passed_to_unit=health_bureau
    )
    response = login(client, unit_officer).post(url(opinion, "close"), {"close-expected_state": "answered"})

    assert response.status_code in (302, 404)
    opinion.refresh_from_db()
    assert opinion.state == State.ANSWERED


def test_a_stale_page_fails_cleanly_and_changes_nothing(client, login, opinion_a, township_officer_a):
    login(client, township_officer_a)
    client.post(url(opinion_a, "acknowledge"), {"acknowledge-expected_state": "received"})

    response = client.post(
        url(opinion_a, "route-to-town"), {"route-to-town-expected_state": "received"}, follow=True
    )

    opinion_a.refresh_from_db()
    assert opinion_a.state == State.ACKNOWLEDGED
    assert [str(message) for message in response.context["messages"]]


def test_an_incomplete_action_form_is_shown_again_with_its_errors(client, login, opinion_a, township_officer_a):
    response = login(client, township_officer_a).post(
        url(opinion_a, "decline"), {"decline-expected_state": "received", "decline-text": ""}
    )

    assert response.status_code == 400
    [form] = [form for _url, _label, _style, form in response.context["actions"] if form.errors]
    assert set(form.errors) == {"channel", "text"}
    opinion_a.refresh_from_db()
    assert opinion_a.state == State.RECEIVED


def test_linking_a_similar_opinion_as_the_same_matter(client, login, opinion_a, station_a, township_officer_a):
    twin = OpinionFactory(station=station_a, content="西山社区3号楼门口的路灯坏了，晚上很黑。")

    login(client, township_officer_a).post(url(twin, "link-duplicate"), {"primary": opinion_a.pk})

    twin.refresh_from_db()
    assert twin.duplicate_of == opinion_a


def test_reopening_starts_a_fresh_answer_deadline(client, login, station_a, town_a, township_officer_a):
    opinion = OpinionFactory(station=station_a, state=State.CLOSED, answered_by_region=town_a, closure_round=1)

    login(client, township_officer_a).post(
        url(opinion, "reopen"), {"reopen-expected_state": "closed", "reopen-reason": "路灯又坏了"}
    )

    opinion.refresh_from_db()
    assert opinion.state == State.REOPENED and opinion.answer_due_basis["reopened"] is True


# ---- return visits -------------------------------------------------------------------------------


def test_the_keeper_records_a_phone_rating_and_unsatisfied_reopens(client, login, station_a, town_a, station_keeper):
    opinion = OpinionFactory(station=station_a, state=State.CLOSED, answered_by_region=town_a, closure_round=1)
    ReturnVisit.objects.create(opinion=opinion, round=1)

    response = login(client, station_keeper).post(
        url(opinion, "return-visit/call"), {"rating": Rating.UNSATISFIED, "reason": "没有修好"}
    )

    assert response.status_code == 302
    visit = ReturnVisit.objects.get(opinion=opinion)
    assert (visit.rating, visit.channel, visit.recorded_by) == (Rating.UNSATISFIED, "phone_call", station_keeper)
    opinion.refresh_from_db()
    assert opinion.state == State.REOPENED


def test_the_rating_link_is_sent_again_by_sms(client, login, station_a, town_a, township_officer_a, sms_outbox):
    opinion = OpinionFactory(
        station=station_a, state=State.CLOSED, answered_by_region=town_a, closure_round=1, citizen_phone=CITIZEN_PHONE
    )
    ReturnVisit.objects.create(opinion=opinion, round=1)

    login(client, township_officer_a).post(url(opinion, "return-visit/resend"))

    assert len(sms_outbox) == 1 and sms_outbox[0]["phone"] == CITIZEN_PHONE
    assert ReturnVisit.objects.get(opinion=opinion).link_sent_at is not None


# ---- recording and exporting ---------------------------------------------------------------------


def test_the_keeper_records_a_phoned_in_opinion(client, login, station_a, station_keeper):
    response = login(client, station_keeper).post(
        f"{BASE}new/",
        {"station": station_a.pk, "source": "phone", "content": "菜市场噪音扰民。", "category": "environment",
         "received_on": timezone.localdate().isoformat()},
    )

    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == url(opinion)
    assert (opinion.source, opinion.recorded_by, opinion.station) == ("phone", station_keeper, station_a)


def test_the_export_is_masked_formula_safe_scoped_and_logged(
    client, login, station_a, station_b, township_officer_a, caplog
):
    OpinionFactory(station=station_a, content="=HYPERLINK(\"http://evil\")", citizen_phone=CITIZEN_PHONE,
                   citizen_name="王五")
    OpinionFactory(station=station_b, content="另一个镇的意见")
    login(client, township_officer_a)

    with caplog.at_level(logging.INFO, logger="tongxin.security"):
        response = client.get(f"{BASE}export/")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and town A's one opinion
    assert rows[1][5] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][6] == "王*" and rows[1][7] == "139****5678"
    [record] = [json.loads(record.message) for record in caplog.records if '"export"' in record.message]
    assert (record["object"], record["rows"], record["username"]) == ("contact_stations.opinion", 1, "township_a")


def test_leaders_read_the_queue_but_cannot_export(client, login, opinion_a, leader):
    login(client, leader)
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}export/").status_code == 403
