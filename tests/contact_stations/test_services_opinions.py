"""Citizens' opinions: intake, every route and who may take it, answers, closure, reopening."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress import calendar
from congress.models import Event, Notification
from congress.rules import working_days_after
from congress.workflow import IllegalTransition, StaleState, TransitionForbidden
from contact_stations import selectors, services
from contact_stations.models import CROCKFORD_ALPHABET, Opinion, OpinionAnswer, ReturnVisit
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import OpinionFactory

State = Opinion.State


def verbs(opinion):
    return list(Event.objects.for_object(opinion).values_list("verb", flat=True))


@pytest.fixture
def opinion(station_a):
    return OpinionFactory(station=station_a, content="西山社区3号楼门口的路灯坏了一个月，晚上老人出行不安全。")


@pytest.fixture
def addressed_opinion(station_a, stationed_deputy):
    """An opinion a citizen addressed to the stationed deputy (their QR card): theirs to route."""
    return OpinionFactory(station=station_a, deputy=stationed_deputy, content="西山社区3号楼门口的路灯坏了一个月。")


# ---- intake ------------------------------------------------------------------------------------


def test_anonymous_submission_from_a_station_code_gets_an_unguessable_receipt_code(station_a, station_keeper):
    opinion = services.opinion_submit(station=station_a, content="公交站没有遮雨棚。", category="transport")

    assert opinion.state == State.RECEIVED
    assert opinion.source == Opinion.Source.QR_FORM
    assert len(opinion.receipt_code) == 10 and set(opinion.receipt_code) <= set(CROCKFORD_ALPHABET)
    assert opinion.region == station_a.region and opinion.body == station_a.body
    assert opinion.citizen_phone == "" and opinion.consent_at is None
    assert verbs(opinion) == ["received"]
    # The keeper hears of it at once.
    assert Notification.objects.filter(recipient=station_keeper, kind="opinion_received").count() == 1


def test_contact_details_need_consent(station_a):
    with pytest.raises(ValidationError) as error:
        services.opinion_submit(station=station_a, content="路灯不亮。", citizen_name="张先生")
    assert "consent" in error.value.message_dict
    assert not Opinion.objects.exists()


def test_a_phone_needs_the_sms_code_sent_to_it(station_a, request_sms_code):
    with pytest.raises(services.SmsCodeRejected):
        services.opinion_submit(
            station=station_a, content="路灯不亮。", citizen_phone=CITIZEN_PHONE, consent=True, sms_code="000000"
        )
    code = request_sms_code(CITIZEN_PHONE)

    opinion = services.opinion_submit(
        station=station_a, content="路灯不亮。", citizen_phone=CITIZEN_PHONE, consent=True, sms_code=code
    )

    opinion.refresh_from_db()
    assert opinion.citizen_phone == CITIZEN_PHONE
    assert opinion.phone_verified_at is not None and opinion.consent_at is not None
    assert Opinion.objects.filter(citizen_phone_index=opinion.citizen_phone_index).count() == 1
    # Encrypted at rest: the raw column holds no digits of the phone.
    raw = Opinion.objects.filter(pk=opinion.pk).values_list("citizen_phone", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_phone FROM contact_stations_opinion WHERE id = %s", [opinion.pk])
        assert CITIZEN_PHONE not in cursor.fetchone()[0]
    assert list(raw) == [CITIZEN_PHONE]


def test_suspended_station_takes_no_opinions(station_a):
    station_a.status = station_a.Status.SUSPENDED
    station_a.save()
    with pytest.raises(ValidationError):
        services.opinion_submit(station=station_a, content="路灯不亮。")


def test_deputy_records_an_opinion_from_a_visit_at_their_station(stationed_deputy, deputy_user, station_a):
    opinion = services.opinion_record(
        actor=deputy_user, source=Opinion.Source.DEPUTY_VISIT, station=station_a, content="村道需要拓宽。",
    )
    assert opinion.recorded_by == deputy_user
    assert opinion.deputy == stationed_deputy


def test_a_deputy_not_stationed_there_cannot_record_for_the_station(deputy, deputy_user, station_b):
    with pytest.raises(PermissionDenied):
        services.opinion_record(actor=deputy_user, source=Opinion.Source.RECEPTION, station=station_b, content="x")


def test_receipt_code_tracking_shows_no_personal_data(station_a):
    opinion = OpinionFactory(station=station_a, citizen_name="张三", citizen_phone=CITIZEN_PHONE)

    status = selectors.opinion_status_by_receipt(opinion.receipt_code.lower())

    assert status.receipt_code == opinion.receipt_code
    shown = repr(status)
    assert "张三" not in shown and CITIZEN_PHONE not in shown and opinion.content not in shown
    assert selectors.opinion_status_by_receipt("0000000000") is None


# ---- time limits -------------------------------------------------------------------------------


def test_time_limits_count_working_days_across_the_spring_festival(station_a, station_keeper):
    # Friday 13 Feb 2026; Sat 14 Feb is a make-up workday, 15–23 Feb the Spring Festival holiday.
    opinion = services.opinion_record(
        actor=station_keeper, source=Opinion.Source.PHONE, station=station_a, content="春节前反映：自来水水压低。",
        received_on=datetime.date(2026, 2, 13),
    )

    assert opinion.ack_due == datetime.date(2026, 2, 25)
    assert opinion.answer_due == datetime.date(2026, 3, 12)
    assert opinion.ack_due_basis["rule"] == "opinion_ack_working_days"
    assert opinion.answer_due_basis == {
        "rule": "opinion_answer_working_days",
        "label": opinion.answer_due_basis["label"],
        "value": 15,
        "unit": "working_days",
        "start": "2026-02-13",
    }


def test_a_transfer_follows_the_receiving_congress_limit(opinion, station_keeper, township_body_a):
    from congress.rules import rules_for

    rules = rules_for(township_body_a)
    rules.opinion_answer_working_days = 10
    rules.save()

    services.opinion_pass_to_town(actor=station_keeper, opinion=opinion)

    expected = working_days_after(township_body_a, "opinion_answer_working_days", datetime.date.today())
    assert opinion.answer_due == expected.due
    assert opinion.answer_due_basis["transferred_to"] == State.PASSED_TO_TOWN
    assert opinion.answer_due_basis["value"] == 10


# ---- routes and who may take them -----------------------------------------------------------


def test_keeper_acknowledges_and_a_stale_second_click_fails_cleanly(opinion, station_keeper):
    services.opinion_acknowledge(actor=station_keeper, opinion=opinion)
    assert opinion.state == State.ACKNOWLEDGED and opinion.acknowledged_at is not None

    stale = Opinion.objects.get(pk=opinion.pk)
    stale.state = State.RECEIVED
    with pytest.raises(StaleState):
        services.opinion_acknowledge(actor=station_keeper, opinion=stale)


@pytest.mark.parametrize("persona", ["township_officer_b", "unit_officer", "auditor", "leader"])
def test_only_the_holder_acknowledges(opinion, persona, request):
    with pytest.raises(TransitionForbidden):
        services.opinion_acknowledge(actor=request.getfixturevalue(persona), opinion=opinion)
    assert Opinion.objects.get(pk=opinion.pk).state == State.RECEIVED


def test_deputy_answers_on_the_spot_but_only_the_town_office_closes(
    addressed_opinion, stationed_deputy, deputy_user, township_officer_a, town_a
):
    opinion = addressed_opinion
    services.opinion_answer_on_spot(actor=deputy_user, opinion=opinion, text="已当场联系社区更换路灯。")
    assert opinion.state == State.ANSWERED_ON_SPOT
    assert opinion.answered_by_region == town_a and opinion.answered_by_unit is None
    assert opinion.acknowledged_at is not None  # routing acknowledged it

    with pytest.raises(TransitionForbidden):
        services.opinion_close(actor=deputy_user, opinion=opinion)

    services.opinion_close(actor=township_officer_a, opinion=opinion)
    assert opinion.state == State.CLOSED and opinion.closure_round == 1
    assert ReturnVisit.objects.filter(opinion=opinion, round=1).exists()


def test_deputies_never_answer_as_the_organ_or_close(addressed_opinion, stationed_deputy, deputy_user, station_keeper):
    opinion = addressed_opinion
    services.opinion_pass_to_town(actor=deputy_user, opinion=opinion)
    with pytest.raises(TransitionForbidden):
        services.opinion_answer(actor=deputy_user, opinion=opinion, text="我来答复")
    with pytest.raises(TransitionForbidden):
        services.opinion_decline(actor=deputy_user, opinion=opinion, channel="litigation", text="请起诉")


def test_town_answers_what_was_passed_to_it_and_closes_it(opinion, station_keeper, township_officer_a, town_a):
    services.opinion_pass_to_town(actor=station_keeper, opinion=opinion)
    with pytest.raises(TransitionForbidden):
        # The keeper runs the station; the town's office answers for the town.
        services.opinion_answer(actor=station_keeper, opinion=opinion, text="x")

    services.opinion_answer(actor=township_officer_a, opinion=opinion, text="街道已安排维修，三日内完成。")
    assert opinion.state == State.ANSWERED and opinion.answered_by_region == town_a
    services.opinion_close(actor=township_officer_a, opinion=opinion)
    assert opinion.state == State.CLOSED
    assert OpinionAnswer.objects.get(opinion=opinion).organ_region == town_a


def test_district_passes_to_a_unit_whose_officer_answers_and_closes(
    opinion, station_keeper, township_officer_a, staff_clerk, unit_officer, health_bureau, district
):
    services.opinion_pass_to_town(actor=station_keeper, opinion=opinion)
    services.opinion_pass_to_district(actor=township_officer_a, opinion=opinion, note="涉及区级部门")
    assert opinion.state == State.PASSED_TO_DISTRICT
    with pytest.raises(TransitionForbidden):
        services.opinion_pass_to_unit(actor=township_officer_a, opinion=opinion, unit=health_bureau)

    services.opinion_pass_to_unit(actor=staff_clerk, opinion=opinion, unit=health_bureau)
    assert opinion.state == State.PASSED_TO_UNIT and opinion.passed_to_unit == health_bureau
    # The office that passed it on cannot answer for the unit.
    with pytest.raises(TransitionForbidden):
        services.opinion_answer(actor=staff_clerk, opinion=opinion, text="x")

    services.opinion_answer(actor=unit_officer, opinion=opinion, text="卫健局已约谈社区卫生服务中心。")
    assert opinion.answered_by_unit == health_bureau
    with pytest.raises(TransitionForbidden):
        services.opinion_close(actor=staff_clerk, opinion=opinion)
    services.opinion_close(actor=unit_officer, opinion=opinion)
    assert opinion.state == State.CLOSED
    assert verbs(opinion) == [
        "passed_to_town", "passed_to_district", "passed_to_unit", "answered", "closed",
    ]


def test_unit_hands_back_an_item_that_is_not_its_business(opinion, staff_clerk, unit_officer, health_bureau):
    services.opinion_pass_to_unit(actor=staff_clerk, opinion=opinion, unit=health_bureau)
    services.opinion_pass_to_district(actor=unit_officer, opinion=opinion, note="不属本局职责")
    assert opinion.state == State.PASSED_TO_DISTRICT and opinion.passed_to_unit is None


def test_town_passes_to_its_own_unit_but_not_to_a_district_bureau(
    opinion, township_officer_a, town_a_government, health_bureau
):
    services.opinion_acknowledge(actor=township_officer_a, opinion=opinion)
    with pytest.raises(TransitionForbidden):
        services.opinion_pass_to_unit(actor=township_officer_a, opinion=opinion, unit=health_bureau)
    services.opinion_pass_to_unit(actor=township_officer_a, opinion=opinion, unit=town_a_government)
    assert opinion.passed_to_unit == town_a_government


def test_deputy_takes_an_opinion_up_as_a_suggestion(addressed_opinion, stationed_deputy, deputy_user, staff_clerk):
    opinion = addressed_opinion
    services.opinion_turn_into_suggestion(actor=deputy_user, opinion=opinion, deputy=stationed_deputy)
    assert opinion.state == State.TURNED_INTO_SUGGESTION and opinion.follow_up_deputy == stationed_deputy

    draft = staff_clerk  # any saved object stands for the draft the suggestions app will create
    services.opinion_link_follow_up(opinion=opinion, obj=draft)
    opinion.refresh_from_db()
    assert opinion.follow_up == draft
    with pytest.raises(TransitionForbidden):
        services.opinion_answer(actor=deputy_user, opinion=opinion, text="x")
    services.opinion_answer(actor=staff_clerk, opinion=opinion, text="已形成代表建议，交办区住建局。")
    assert opinion.state == State.ANSWERED


def test_another_deputy_cannot_take_it_up_for_someone_else(opinion, stationed_deputy, other_deputy, deputy_user):
    with pytest.raises(TransitionForbidden):
        services.opinion_turn_into_suggestion(actor=deputy_user, opinion=opinion, deputy=other_deputy)


def test_only_the_district_office_turns_an_opinion_into_a_topic(opinion, township_officer_a, staff_clerk):
    with pytest.raises(TransitionForbidden):
        services.opinion_turn_into_topic(actor=township_officer_a, opinion=opinion)
    services.opinion_turn_into_topic(actor=staff_clerk, opinion=opinion)
    assert opinion.state == State.TURNED_INTO_TOPIC


def test_declining_names_the_channel_and_the_decliner_closes(opinion, township_officer_a, town_a):
    with pytest.raises(ValidationError):
        services.opinion_decline(actor=township_officer_a, opinion=opinion, channel="", text="请走诉讼程序")
    services.opinion_decline(
        actor=township_officer_a, opinion=opinion, channel=Opinion.DeclineChannel.LITIGATION,
        text="属民事纠纷，建议向人民法院起诉。",
    )
    assert opinion.state == State.DECLINED and opinion.decline_channel == "litigation"
    services.opinion_close(actor=township_officer_a, opinion=opinion)
    assert opinion.state == State.CLOSED


def test_illegal_moves_are_refused(opinion, township_officer_a):
    with pytest.raises(IllegalTransition):
        services.opinion_close(actor=township_officer_a, opinion=opinion)
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已答复")
    with pytest.raises(IllegalTransition):
        services.opinion_answer(actor=township_officer_a, opinion=opinion, text="x")
    with pytest.raises(IllegalTransition):
        services.opinion_reopen(actor=township_officer_a, opinion=opinion, reason="x")


def test_other_town_cannot_touch_the_opinion(opinion, township_officer_b):
    for action in (
        lambda: services.opinion_pass_to_town(actor=township_officer_b, opinion=opinion),
        lambda: services.opinion_decline(actor=township_officer_b, opinion=opinion, channel="other", text="x"),
    ):
        with pytest.raises(TransitionForbidden):
            action()


def test_reopening_starts_a_new_answer_deadline_and_needs_a_new_answer(
    opinion, township_officer_a, staff_clerk
):
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已答复")
    services.opinion_close(actor=township_officer_a, opinion=opinion)

    services.opinion_reopen(actor=staff_clerk, opinion=opinion, reason="群众来电称问题仍未解决")

    assert opinion.state == State.REOPENED
    assert opinion.answered_by_region is None
    assert opinion.answer_due == calendar.add_working_days(datetime.date.today(), 15)
    assert opinion.answer_due_basis["reopened"] is True
    services.opinion_pass_to_town(actor=township_officer_a, opinion=opinion)
    services.opinion_answer(actor=township_officer_a, opinion=opinion, text="已彻底修复")
    services.opinion_close(actor=township_officer_a, opinion=opinion)
    assert opinion.closure_round == 2
    assert ReturnVisit.objects.filter(opinion=opinion).count() == 2


# ---- duplicates --------------------------------------------------------------------------------


def test_similar_open_opinions_at_the_station_are_found_chinese_aware(opinion, station_a, station_b):
    alike = OpinionFactory(station=station_a, content="3号楼门口路灯坏了，晚上老人出行不安全，请尽快修。")
    OpinionFactory(station=station_a, content="希望增加幼儿园学位。")
    OpinionFactory(station=station_b, content="3号楼门口路灯坏了，晚上老人出行不安全。")  # another town
    OpinionFactory(station=station_a, content="3号楼门口路灯坏了，晚上老人出行不安全。", state=State.CLOSED)

    found = selectors.similar_open_opinions(opinion)

    assert [candidate for _score, candidate in found] == [alike]


def test_one_answer_serves_linked_duplicates(opinion, station_a, township_officer_a):
    twin = OpinionFactory(station=station_a, content="路灯坏了")
    services.opinion_acknowledge(actor=township_officer_a, opinion=twin)
    services.opinion_link_duplicate(actor=township_officer_a, opinion=twin, primary=opinion)
    services.opinion_pass_to_town(actor=township_officer_a, opinion=opinion)

    services.opinion_answer(actor=township_officer_a, opinion=opinion, text="已修复")

    twin.refresh_from_db()
    assert twin.state == State.ANSWERED and twin.answered_by_region == opinion.answered_by_region
    assert twin.answers.get().text == "已修复"
    services.opinion_close(actor=township_officer_a, opinion=twin)


def test_other_town_cannot_link_duplicates(opinion, station_a, township_officer_b):
    twin = OpinionFactory(station=station_a)
    with pytest.raises(PermissionDenied):
        services.opinion_link_duplicate(actor=township_officer_b, opinion=twin, primary=opinion)
