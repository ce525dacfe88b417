"""The work-evaluation workspace: phases as service calls, questionnaires by single-use links with
aggregated results, the plenary appraisal, rectification with the unit's plan and ledger, and the
published result; the unit evaluated sees only its own evaluation."""

import datetime
import re

import pytest
from django.urls import reverse

from congress.models import Event, Notification
from congress.models.accounts import Role
from supervision import services
from supervision.models import (
    Choice,
    QuestionnaireAnswer,
    QuestionnaireLink,
    RectificationItem,
    TopicKind,
    WorkEvaluation,
)
from tests.factories.congress import UnitFactory, user_with_role
from tests.factories.deputies import DeputyFactory

pytestmark = pytest.mark.django_db

Phase = WorkEvaluation.Phase


@pytest.fixture
def evaluation_topic(plan, staff_clerk, committee, health_bureau):
    return services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.WORK_EVALUATION,
                                 title="对区卫健局开展专项工作评议", lead_committee=committee,
                                 supervised_units=[health_bureau])


@pytest.fixture
def evaluation(evaluation_topic, staff_clerk, health_bureau, member, deputy):
    return services.evaluation_create(actor=staff_clerk, topic=evaluation_topic, unit=health_bureau, year=2027,
                                      members=[member], deputies=[deputy], dimensions=["service", "results"])


@pytest.fixture
def other_unit_officer(district):
    return user_with_role(Role.UNIT_OFFICER, username="edu_officer", unit=UnitFactory(region=district, name="教育局"))


def _url(evaluation, action=None):
    if action:
        return reverse("console:supervision:evaluation_act", args=[evaluation.pk, action])
    return reverse("console:supervision:evaluation_detail", args=[evaluation.pk])


def _links(response) -> list[str]:
    return re.findall(r"/supervision/q/([\w-]+)/", response.content.decode())


def test_staff_set_up_an_evaluation_with_its_group_from_the_topic(client, login, staff_clerk, evaluation_topic,
                                                                   health_bureau, member, deputy):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:evaluation_create", args=[evaluation_topic.pk]), {
        "unit": health_bureau.pk, "year": 2027, "members": [member.pk], "deputies": [deputy.pk],
    })
    evaluation = WorkEvaluation.objects.get()
    assert response.status_code == 302 and evaluation.phase == Phase.MOBILISE
    assert list(evaluation.group_members.all()) == [member] and list(evaluation.group_deputies.all()) == [deputy]
    topic_page = client.get(reverse("console:supervision:topic_detail", args=[evaluation_topic.pk]))
    assert _url(evaluation) in topic_page.content.decode()


def test_phases_advance_one_step_at_a_time_each_with_an_event(client, login, staff_clerk, evaluation):
    login(client, staff_clerk)
    client.post(_url(evaluation, "advance"), {"to": Phase.APPRAISE})
    evaluation.refresh_from_db()
    assert evaluation.phase == Phase.MOBILISE  # mobilise → appraise skips the investigation: refused

    client.post(_url(evaluation, "advance"), {"to": Phase.INVESTIGATE})
    evaluation.refresh_from_db()
    assert evaluation.phase == Phase.INVESTIGATE
    assert Event.objects.for_object(evaluation).filter(verb="phase_investigate").exists()

    client.post(_url(evaluation, "advance"), {"to": Phase.PUBLISHED})
    evaluation.refresh_from_db()
    assert evaluation.phase == Phase.INVESTIGATE  # only the appraisal vote publishes


def test_the_unit_sees_its_own_evaluation_but_cannot_move_it(client, login, unit_officer, evaluation):
    login(client, unit_officer)
    assert client.get(_url(evaluation)).status_code == 200
    assert [row.pk for row in client.get(reverse("console:supervision:evaluation_list")).context["page_obj"]] == [
        evaluation.pk]
    assert client.post(_url(evaluation, "advance"), {"to": Phase.INVESTIGATE}).status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.phase == Phase.MOBILISE


def test_another_unit_gets_404_for_the_evaluation_and_its_ledger(client, login, other_unit_officer, evaluation):
    login(client, other_unit_officer)
    assert client.get(_url(evaluation)).status_code == 404
    assert client.post(_url(evaluation, "plan"), {"text": "x"}).status_code == 404
    assert list(client.get(reverse("console:supervision:evaluation_list")).context["page_obj"]) == []


def test_deputies_get_the_questionnaire_in_their_inbox_once(client, login, staff_clerk, evaluation, deputy):
    login(client, staff_clerk)
    client.post(_url(evaluation, "invite"), {"who": "group"})
    client.post(_url(evaluation, "invite"), {"who": "group"})

    assert QuestionnaireLink.objects.filter(evaluation=evaluation, deputy=deputy).count() == 1
    notification = Notification.objects.get(recipient=deputy.user, kind="supervision.questionnaire")
    assert notification.url.startswith("/supervision/q/")


def test_citizen_links_are_shown_once_and_each_works_once(client, login, staff_clerk, evaluation):
    login(client, staff_clerk)
    response = client.post(_url(evaluation, "citizens"), {"count": 3})
    tokens = _links(response)
    assert len(tokens) == 3 and "no-store" in response["Cache-Control"]
    client.logout()

    page = client.get(reverse("public:supervision:questionnaire", args=[tokens[0]]))
    assert page.status_code == 200 and 'name="d_service"' in page.content.decode()
    answer = {"d_service": Choice.SATISFIED, "d_results": Choice.BASICALLY, "comment": "服务好"}
    done = client.post(reverse("public:supervision:questionnaire", args=[tokens[0]]), answer)
    assert done.status_code == 200 and 'id="questionnaire-done"' in done.content.decode()
    again = client.post(reverse("public:supervision:questionnaire", args=[tokens[0]]), answer)
    assert again.status_code == 410
    assert QuestionnaireAnswer.objects.filter(evaluation=evaluation).count() == 1


def test_an_incomplete_questionnaire_keeps_the_link_unspent(client, staff_clerk, evaluation):
    [token] = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=1)
    response = client.post(reverse("public:supervision:questionnaire", args=[token]), {"d_service": "satisfied"})
    assert response.status_code == 400
    assert QuestionnaireLink.objects.get().used_at is None


def test_an_unknown_link_is_404_and_get_changes_nothing(client, staff_clerk, evaluation):
    assert client.get(reverse("public:supervision:questionnaire", args=["nope"])).status_code == 404
    [token] = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=1)
    client.get(reverse("public:supervision:questionnaire", args=[token]))
    assert QuestionnaireLink.objects.get().used_at is None


def test_questionnaire_submissions_are_rate_limited(client, settings, staff_clerk, evaluation):
    settings.RATELIMITS = {"supervision.questionnaire": "2/h"}
    tokens = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=3)
    answer = {"d_service": "satisfied", "d_results": "satisfied"}
    statuses = [client.post(reverse("public:supervision:questionnaire", args=[token]), answer).status_code
                for token in tokens]
    assert statuses == [200, 200, 429]
    assert QuestionnaireAnswer.objects.count() == 2


def test_resending_a_link_retires_the_old_one(client, login, staff_clerk, evaluation, district_body):
    without_account = DeputyFactory(body=district_body, user=None, name="陈代表")
    [old] = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="deputy",
                                         deputies=[without_account])
    link = QuestionnaireLink.objects.get(deputy=without_account)
    login(client, staff_clerk)
    [new] = _links(client.post(_url(evaluation, "resend"), {"link": link.pk}))
    assert new != old
    client.logout()
    assert client.get(reverse("public:supervision:questionnaire", args=[old])).status_code == 404
    assert client.get(reverse("public:supervision:questionnaire", args=[new])).status_code == 200


def test_the_workspace_shows_response_counts_and_results_per_question(client, login, staff_clerk, evaluation):
    tokens = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=4)
    for token, choice in zip(tokens[:3], ["satisfied", "satisfied", "unsatisfied"], strict=True):
        services.questionnaire_answer(token=token, ratings={"service": choice, "results": "basically"})
    login(client, staff_clerk)
    response = client.get(_url(evaluation))
    assert response.context["counts"] == {"citizen": {"issued": 4, "answered": 3}}
    [block] = response.context["results"]
    assert dict(block["dimensions"])["service"] == {"satisfied": 2, "unsatisfied": 1}


def _to_rectify(evaluation, staff_clerk):
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.INVESTIGATE)
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.APPRAISE)
    services.appraisal_open(actor=staff_clerk, evaluation=evaluation)
    services.appraisal_close(actor=staff_clerk, evaluation=evaluation)
    evaluation.refresh_from_db()


def test_a_failed_appraisal_leads_the_unit_to_write_its_plan_and_fill_its_ledger(
    client, login, staff_clerk, unit_officer, evaluation, committee_members, health_bureau
):
    login(client, staff_clerk)
    client.post(_url(evaluation, "advance"), {"to": Phase.INVESTIGATE})
    client.post(_url(evaluation, "advance"), {"to": Phase.APPRAISE})
    client.post(_url(evaluation, "appraisal_open"))
    client.post(_url(evaluation, "appraisal_close"))
    evaluation.refresh_from_db()
    assert (evaluation.phase, evaluation.round) == (Phase.RECTIFY, 2)
    rounds = client.get(_url(evaluation)).context["rounds"]
    assert rounds[0][0] == 1 and [vote.dimension for _label, vote in rounds[0][1]] == ["", "results", "service"]

    login(client, unit_officer)
    client.post(_url(evaluation, "plan"), {"text": "加强基层医生队伍"})
    client.post(_url(evaluation, "ledger"), {"item": "招聘乡村医生", "owner_unit": health_bureau.pk,
                                             "due_on": "2027-12-31"})
    item = RectificationItem.objects.get(evaluation=evaluation)
    response = client.post(reverse("console:supervision:ledger_update", args=[item.pk]),
                           {"status": "done", "progress": "已招聘"})
    assert response.url == _url(evaluation)
    evaluation.refresh_from_db()
    item.refresh_from_db()
    assert evaluation.rectification_plan == "加强基层医生队伍" and item.status == RectificationItem.Status.DONE


def test_another_unit_cannot_touch_the_evaluation_ledger(client, login, staff_clerk, other_unit_officer, evaluation,
                                                         committee_members, health_bureau):
    _to_rectify(evaluation, staff_clerk)
    item = services.rectification_item_add(actor=staff_clerk, evaluation=evaluation, item="整改",
                                           owner_unit=health_bureau, due_on=datetime.date(2027, 12, 31))
    login(client, other_unit_officer)
    assert client.post(reverse("console:supervision:ledger_update", args=[item.pk]),
                       {"status": "done"}).status_code == 404
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.OPEN


def test_the_published_result_shows_on_the_public_topic_page(client, login, staff_clerk, evaluation, plan,
                                                            committee_members):
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.INVESTIGATE)
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.APPRAISE)
    _votes, tokens = services.appraisal_open(actor=staff_clerk, evaluation=evaluation)
    for member_tokens in list(tokens.values())[:3]:
        for token in member_tokens:
            services.ballot_cast_by_token(token=token, choice=Choice.SATISFIED)
    services.appraisal_close(actor=staff_clerk, evaluation=evaluation)
    login(client, staff_clerk)
    client.post(_url(evaluation, "result"), {"text": "评议结果：满意。"})
    evaluation.refresh_from_db()
    assert (evaluation.phase, evaluation.result) == (Phase.PUBLISHED, "评议结果：满意。")

    type(plan).objects.filter(pk=plan.pk).update(state="published")  # the plan's workflow is tested elsewhere
    client.logout()
    page = client.get(reverse("public:supervision:topic", args=[evaluation.topic_id])).content.decode()
    assert "评议结果：满意。" in page


def test_the_evaluation_list_costs_a_bounded_number_of_queries(client, login, staff_clerk, plan, district,
                                                               django_assert_max_num_queries):
    def add(count):
        for n in range(count):
            unit = UnitFactory(region=district, name=f"部门{WorkEvaluation.objects.count()}-{n}")
            topic = services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.WORK_EVALUATION,
                                          title=f"评议{unit.name}")
            services.evaluation_create(actor=staff_clerk, topic=topic, unit=unit, year=2027)

    login(client, staff_clerk)
    add(2)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("console:supervision:evaluation_list"))
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("console:supervision:evaluation_list"))
