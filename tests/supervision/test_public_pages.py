"""The public supervision pages: a citizen's topic proposal (phone optional, verified by SMS code,
rate limited), and the published plan, opinions and vote results — never a draft."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.notifications import sms
from supervision import services
from supervision.models import AnnualPlan, TopicKind, TopicProposal
from tests.factories.supervision import SolicitationWindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_window(district_body):
    today = timezone.localdate()
    return SolicitationWindowFactory(body=district_body, year=today.year + 1,
                                     opens_on=today - datetime.timedelta(days=1),
                                     closes_on=today + datetime.timedelta(days=30))


def _publish(plan, staff_clerk, leader):
    services.plan_submit(actor=staff_clerk, plan=plan)
    services.plan_adopt(actor=leader, plan=plan)
    return services.plan_publish(actor=staff_clerk, plan=plan)


def test_a_citizen_proposes_a_topic_without_contact(client, open_window):
    url = reverse("public:supervision:propose", args=[open_window.body_id])
    response = client.post(url, {"title": "老旧小区加装电梯", "necessity": "居民上下楼困难。", "problem": "审批慢。"})
    assert response.status_code == 302
    proposal = TopicProposal.objects.get()
    assert (proposal.channel, proposal.year, proposal.window) == (TopicProposal.Channel.PUBLIC,
                                                                   open_window.year, open_window)
    assert proposal.phone_verified is False
    assert "老旧小区加装电梯" in client.get(response.url).content.decode()


def test_a_phone_without_its_code_is_refused_and_nothing_is_stored(client, open_window):
    url = reverse("public:supervision:propose", args=[open_window.body_id])
    response = client.post(url, {"title": "题目", "necessity": "理由", "phone": "13800138000"})
    assert response.status_code == 400
    assert not TopicProposal.objects.exists()


def test_a_phone_verified_by_the_sms_code_is_kept_with_the_proposal(
    client, open_window, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "congress.notifications.sms.MemorySmsBackend"
    sms.outbox.clear()
    base = reverse("public:supervision:propose", args=[open_window.body_id])
    data = {"title": "题目", "necessity": "理由", "phone": "13800138000"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("public:supervision:propose_sms_code", args=[open_window.body_id]), data)
    assert response.status_code == 200
    code = re.search(r"\d{6}", sms.outbox[-1]["message"]).group()
    response = client.post(base, {**data, "sms_code": code})
    assert response.status_code == 302
    assert TopicProposal.objects.get().phone_verified is True


def test_proposals_are_refused_when_no_solicitation_is_open(client, district_body):
    response = client.post(reverse("public:supervision:propose", args=[district_body.pk]),
                           {"title": "题目", "necessity": "理由"})
    assert response.status_code == 404
    assert not TopicProposal.objects.exists()


def test_the_proposal_form_is_rate_limited_per_address(client, open_window, settings):
    settings.RATELIMITS = {"supervision.propose": "2/h"}
    url = reverse("public:supervision:propose", args=[open_window.body_id])
    statuses = [client.post(url, {"title": f"题目{n}", "necessity": "理由"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert TopicProposal.objects.count() == 2


def test_a_draft_plan_is_not_public(client, topic):
    assert client.get(reverse("public:supervision:plan", args=[topic.plan_id])).status_code == 404
    assert client.get(reverse("public:supervision:topic", args=[topic.pk])).status_code == 404


def test_the_published_plan_shows_its_topics_by_kind_with_milestones(client, topic, staff_clerk, leader):
    plan = _publish(topic.plan, staff_clerk, leader)
    response = client.get(reverse("public:supervision:plan", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert topic.title in page and str(TopicKind.WORK_REPORT.label) in page
    assert topic.report_to_members_due.strftime("%Y-%m-%d") in page
    assert plan.title in client.get(reverse("public:supervision:index")).content.decode()


def test_a_topic_cancelled_in_an_adjustment_leaves_the_public_plan(client, topic, staff_clerk, leader):
    plan = _publish(topic.plan, staff_clerk, leader)
    services.plan_adjust(actor=staff_clerk, plan=plan, reason="调整")
    services.topic_cancel(actor=staff_clerk, topic=topic, reason="不再需要")
    assert client.get(reverse("public:supervision:topic", args=[topic.pk])).status_code == 404
    assert AnnualPlan.objects.get(pk=plan.pk).state == AnnualPlan.State.ADJUSTING


def test_the_public_topic_page_shows_published_opinions_and_results_only(
    client, reported_opinion, staff_clerk, leader, committee_members
):
    topic = reported_opinion.topic
    _publish(topic.plan, staff_clerk, leader)
    vote, _tokens = services.vote_open(actor=staff_clerk, topic=topic, subject="implementation",
                                       opinion=reported_opinion)
    services.vote_enter_tally(actor=staff_clerk, vote=vote, satisfied=4, basically=1, unsatisfied=0)
    vote = services.vote_close(actor=staff_clerk, vote=vote)
    url = reverse("public:supervision:topic", args=[topic.pk])
    page = client.get(url).content.decode()
    assert reported_opinion.text not in page and "<td>4</td>" not in page
    type(reported_opinion).objects.filter(pk=reported_opinion.pk).update(is_published=True)
    services.vote_publish(actor=staff_clerk, vote=vote)
    page = client.get(url).content.decode()
    assert reported_opinion.text in page
    assert "<td>4</td>" in page


@pytest.mark.parametrize("count", [5, 30])
def test_the_public_plan_runs_a_bounded_number_of_queries(
    client, plan, staff_clerk, leader, health_bureau, count, django_assert_max_num_queries
):
    for n in range(count):
        services.topic_create(actor=staff_clerk, plan=plan, kind=list(TopicKind.values)[n % 7], title=f"议题{n}",
                              supervised_units=[health_bureau], meeting_date=datetime.date(2027, 6, 1))
    _publish(plan, staff_clerk, leader)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:supervision:plan", args=[plan.pk]))
    assert response.content.decode().count("data-topic=") == count


def test_an_adjusted_plan_shows_the_last_published_version_until_it_is_published_again(
    client, topic, staff_clerk, leader, health_bureau
):
    plan = _publish(topic.plan, staff_clerk, leader)
    services.plan_adjust(actor=staff_clerk, plan=plan, reason="增加食品安全专题调研")
    services.topic_update(actor=staff_clerk, topic=topic, title="改过的题目", description="",
                          lead_committee=topic.lead_committee, supervised_units=[health_bureau])
    added = services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.RESEARCH, title="食品安全专题调研",
                                  supervised_units=[health_bureau])
    url = reverse("public:supervision:plan", args=[plan.pk])

    page = client.get(url).content.decode()
    assert "关于全区基层医疗卫生服务能力建设情况的报告" in page
    assert "改过的题目" not in page and added.title not in page
    assert "增加食品安全专题调研" not in page  # the reason goes public with the version it explains

    services.plan_publish(actor=staff_clerk, plan=plan)
    page = client.get(url).content.decode()
    assert "改过的题目" in page and added.title in page
    assert "关于全区基层医疗卫生服务能力建设情况的报告" not in page
    versions = re.search(r'<table[^>]*id="plan-versions".*?</table>', page, re.S).group(0)
    assert "增加食品安全专题调研" in versions
    assert re.findall(r"<tr><td>(\d+)</td>", versions) == ["2", "1"]


def test_a_topic_cancelled_in_an_adjustment_stays_in_the_published_text_without_a_link(
    client, topic, staff_clerk, leader
):
    plan = _publish(topic.plan, staff_clerk, leader)
    services.plan_adjust(actor=staff_clerk, plan=plan, reason="调整")
    services.topic_cancel(actor=staff_clerk, topic=topic, reason="不再需要")

    page = client.get(reverse("public:supervision:plan", args=[plan.pk])).content.decode()
    assert topic.title in page
    assert reverse("public:supervision:topic", args=[topic.pk]) not in page
    services.plan_publish(actor=staff_clerk, plan=plan)
    assert topic.title not in client.get(reverse("public:supervision:plan", args=[plan.pk])).content.decode()
