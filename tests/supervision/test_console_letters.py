"""Letters and visits in the console: the office registers, routes and closes; the unit answers
only what was routed to it; the petitioner's data stays masked unless the office states a reason."""

import datetime
import json
import logging

import pytest
from django.urls import reverse

from congress.models import Event, Notification
from supervision import services
from supervision.models import LetterVisit
from tests.factories.congress import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def letter(district_body, staff_clerk):
    return services.letter_register(
        actor=staff_clerk, body=district_body, kind=LetterVisit.Kind.LETTER, received_on=datetime.date(2026, 11, 2),
        theme="医疗", summary="村卫生室缺医生。", name="王小明", phone=PHONE,
    )


@pytest.fixture
def routed(letter, staff_clerk, health_bureau):
    return services.letter_route(actor=staff_clerk, letter=letter, unit=health_bureau)


@pytest.fixture
def other_officer(district):
    from congress.models.accounts import Role

    return user_with_role(Role.UNIT_OFFICER, username="other_officer", unit=UnitFactory(region=district, name="教育局"))


def test_staff_register_a_letter_with_the_phone_encrypted_and_masked(client, login, staff_clerk, district_body):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:letter_create"), {
        "body": district_body.pk, "kind": "visit", "received_on": "2026-11-03", "theme": "教育",
        "summary": "学校门口交通拥堵。", "name": "李四", "phone": PHONE,
    })
    letter = LetterVisit.objects.get()
    assert response.status_code == 302 and letter.state == LetterVisit.State.REGISTERED
    assert letter.petitioner_phone == PHONE
    detail = client.get(reverse("console:supervision:letter_detail", args=[letter.pk])).content.decode()
    assert PHONE not in detail and "139****5678" in detail and "李四" not in detail and "李*" in detail
    assert Event.objects.for_object(letter).filter(verb="registered").exists()


def test_a_letter_without_a_theme_is_refused_and_nothing_is_stored(client, login, staff_clerk, district_body):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:letter_create"), {
        "body": district_body.pk, "kind": "letter", "received_on": "2026-11-03", "theme": "", "summary": "内容",
    })
    assert response.status_code == 400 and not LetterVisit.objects.exists()


def test_staff_route_a_letter_and_the_unit_is_told(client, login, staff_clerk, letter, health_bureau, unit_officer):
    login(client, staff_clerk)
    client.post(reverse("console:supervision:letter_act", args=[letter.pk, "route"]), {"unit": health_bureau.pk})
    letter.refresh_from_db()
    assert (letter.state, letter.unit) == (LetterVisit.State.ROUTED, health_bureau)
    assert Notification.objects.filter(recipient=unit_officer, kind="supervision.letter_routed").exists()


def test_the_unit_answers_a_letter_routed_to_it_then_staff_close_it(client, login, routed, unit_officer, staff_clerk):
    login(client, unit_officer)
    assert client.get(reverse("console:supervision:letter_detail", args=[routed.pk])).status_code == 200
    client.post(reverse("console:supervision:letter_act", args=[routed.pk, "answer"]), {"answer": "已安排医生驻点。"})
    routed.refresh_from_db()
    assert (routed.state, routed.answer) == (LetterVisit.State.ANSWERED, "已安排医生驻点。")

    login(client, staff_clerk)
    client.post(reverse("console:supervision:letter_act", args=[routed.pk, "close"]))
    routed.refresh_from_db()
    assert routed.state == LetterVisit.State.CLOSED


def test_an_empty_answer_changes_nothing(client, login, routed, unit_officer):
    login(client, unit_officer)
    client.post(reverse("console:supervision:letter_act", args=[routed.pk, "answer"]), {"answer": " "})
    routed.refresh_from_db()
    assert routed.state == LetterVisit.State.ROUTED


def test_a_letter_cannot_be_closed_before_it_is_answered(client, login, routed, staff_clerk):
    login(client, staff_clerk)
    client.post(reverse("console:supervision:letter_act", args=[routed.pk, "close"]))
    routed.refresh_from_db()
    assert routed.state == LetterVisit.State.ROUTED


def test_a_unit_cannot_close_a_letter(client, login, routed, unit_officer):
    services.letter_answer(actor=unit_officer, letter=routed, answer="已办")
    login(client, unit_officer)
    response = client.post(reverse("console:supervision:letter_act", args=[routed.pk, "close"]))
    assert response.status_code == 403
    routed.refresh_from_db()
    assert routed.state == LetterVisit.State.ANSWERED


def test_another_unit_gets_404_for_a_letter_not_routed_to_it(client, login, routed, other_officer):
    login(client, other_officer)
    assert client.get(reverse("console:supervision:letter_detail", args=[routed.pk])).status_code == 404
    response = client.post(reverse("console:supervision:letter_act", args=[routed.pk, "answer"]), {"answer": "x"})
    assert response.status_code == 404
    assert routed.pk not in [row.pk for row in client.get(reverse("console:supervision:letter_list"))
                             .context["page_obj"]]


def test_a_unit_does_not_see_a_letter_before_it_is_routed(client, login, letter, unit_officer):
    login(client, unit_officer)
    assert client.get(reverse("console:supervision:letter_detail", args=[letter.pk])).status_code == 404


def test_a_unit_sees_the_phone_masked_and_cannot_unmask_it(client, login, routed, unit_officer):
    login(client, unit_officer)
    response = client.post(reverse("console:supervision:letter_act", args=[routed.pk, "unmask"]), {"reason": "回访"})
    assert response.status_code == 403
    assert PHONE not in client.get(reverse("console:supervision:letter_detail", args=[routed.pk])).content.decode()


@pytest.fixture
def security_lines(caplog):
    logger = logging.getLogger("tongxin.security")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tongxin.security")
    yield lambda: [json.loads(record.getMessage()) for record in caplog.records if record.name == "tongxin.security"]
    logger.removeHandler(caplog.handler)


def test_staff_unmask_the_petitioner_for_a_reason_and_it_is_logged(client, login, staff_clerk, letter,
                                                                   security_lines):
    login(client, staff_clerk)
    refused = client.post(reverse("console:supervision:letter_act", args=[letter.pk, "unmask"]), {"reason": ""})
    assert refused.status_code == 400 and PHONE not in refused.content.decode()

    response = client.post(reverse("console:supervision:letter_act", args=[letter.pk, "unmask"]),
                           {"reason": "电话回访当事人"})
    assert PHONE in response.content.decode() and "王小明" in response.content.decode()
    assert response["Cache-Control"].count("no-store")
    assert any(line["event"] == "unmask" for line in security_lines())
    assert Event.objects.for_object(letter).get(verb="unmasked").note == "电话回访当事人"


def test_the_list_filters_by_theme_state_unit_and_year(client, login, staff_clerk, letter, routed, district_body):
    other = services.letter_register(actor=staff_clerk, body=district_body, kind="online",
                                     received_on=datetime.date(2025, 3, 1), theme="交通", summary="路灯不亮")
    login(client, staff_clerk)
    url = reverse("console:supervision:letter_list")

    def shown(**params):
        return {row.pk for row in client.get(url, params).context["page_obj"]}

    assert shown() == {letter.pk, other.pk}
    assert shown(theme="交通") == {other.pk}
    assert shown(state="routed") == {letter.pk}
    assert shown(unit=str(routed.unit_id)) == {letter.pk}
    assert shown(year="2025") == {other.pk}
    assert shown(year="not-a-year", state="bogus") == {letter.pk, other.pk}


def test_the_list_costs_a_bounded_number_of_queries(client, login, staff_clerk, district_body, health_bureau,
                                                   django_assert_max_num_queries):
    def add(count):
        for n in range(count):
            row = services.letter_register(actor=staff_clerk, body=district_body, kind="letter",
                                           received_on=datetime.date(2026, 10, 1), theme=f"主题{n % 4}",
                                           summary="内容")
            services.letter_route(actor=staff_clerk, letter=row, unit=health_bureau)

    login(client, staff_clerk)
    add(2)
    url = reverse("console:supervision:letter_list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_staff_see_letter_themes_of_the_last_twelve_months_on_the_solicitation_inbox(
    client, login, staff_clerk, district_body
):
    from supervision.services.common import today

    for theme, days in (("医疗", 10), ("医疗", 40), ("教育", 20), ("旧事", 400)):
        services.letter_register(actor=staff_clerk, body=district_body, kind="letter",
                                 received_on=today() - datetime.timedelta(days=days), theme=theme, summary="内容")
    login(client, staff_clerk)
    response = client.get(reverse("console:supervision:inbox"))
    assert response.context["theme_counts"] == [("医疗", 2), ("教育", 1)]
    assert "旧事" not in response.content.decode()


def test_staff_drafting_the_plan_see_the_letter_themes_of_its_congress(client, login, staff_clerk, district_body):
    from supervision.services.common import today
    from tests.factories.supervision import AnnualPlanFactory

    plan = AnnualPlanFactory(body=district_body, year=today().year + 1)
    services.letter_register(actor=staff_clerk, body=district_body, kind="letter", received_on=today(),
                             theme="停车难", summary="内容")
    login(client, staff_clerk)
    response = client.get(reverse("console:supervision:plan_detail", args=[plan.pk]))
    assert response.context["theme_counts"] == [("停车难", 1)] and 'id="letter-themes"' in response.content.decode()
