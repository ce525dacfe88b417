"""Acceptance of issue #5, tried as a new user would, through the real pages: a solicitation is
open, a citizen and a deputy propose, the office merges the duplicates and adopts them into a
topic of the year's plan, the plan is adopted and published, a deliberation opinion goes to the
unit, the members vote its implementation down, the unit rectifies and reports again, the members
vote it through — every step on the topic's timeline with its round — and the public site shows
the plan and the results of both rounds."""

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congress.models import Notification
from supervision.models import (
    AnnualPlan,
    Choice,
    DeliberationOpinion,
    RectificationItem,
    SatisfactionVote,
    TopicKind,
    TopicProposal,
)

pytestmark = pytest.mark.django_db

CITIZEN_TITLE = "关于老旧小区加装电梯推进情况的监督"
DEPUTY_TITLE = "老旧小区加装电梯进展缓慢"
TOPIC_TITLE = "关于全区老旧小区加装电梯工作情况的报告"


def _client(login, user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return login(client, user) if user is not None else client


def _lines(html: str, list_id: str = "timeline") -> list[str]:
    """The entries of a rendered timeline, as plain text."""
    block = re.search(rf'<ol[^>]*id="{list_id}"[^>]*>(.*?)</ol>', html, re.S).group(1)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
            for item in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]


def _has(lines: list[str], *parts: str) -> bool:
    return any(all(part in line for part in parts) for line in lines)


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


@pytest.fixture
def office(login, staff_clerk):
    return _client(login, staff_clerk)


@pytest.fixture
def timeline(office):
    def _read(topic) -> list[str]:
        page = _ok(office.get(reverse("console:supervision:topic_detail", args=[topic.pk])), 200)
        return _lines(page.content.decode())
    return _read


def _vote_from_phone_link(member, vote, choice):
    """A member opens the link their notification holds and rates once."""
    link = Notification.objects.get(recipient=member, kind="supervision.vote_link",
                                    dedupe_key__startswith=f"vote-link:{vote.pk}:").url
    phone = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "ballot-form" in _ok(phone.get(link), 200).content.decode()
    assert "ballot-result" in _ok(phone.post(link, {"choice": choice}), 200).content.decode()


def _vote_from_portal(client, vote, choice):
    url = reverse("portal:supervision:vote", args=[vote.pk])
    assert vote.topic.title in _ok(client.get(url), 200).content.decode()
    _ok(client.post(url, {"choice": choice}))


def _members_vote(vote, voters, choices, clients, *, phone_first: bool):
    """Every other member votes from the phone link, the others from the portal."""
    for position, (voter, choice) in enumerate(zip(voters, choices, strict=True)):
        if (position % 2 == 0) == phone_first:
            _vote_from_phone_link(voter, vote, choice)
        else:
            _vote_from_portal(clients[voter.pk], vote, choice)


def test_a_topic_goes_from_proposal_through_a_failed_and_a_passed_vote_to_the_public_site(
    login, office, timeline, leader, deputy, unit_officer, health_bureau, committee, district_body,
    committee_members,
):
    today = timezone.localdate()
    year = today.year + 1

    # The office opens the solicitation for next year's plan from the inbox.
    _ok(office.post(reverse("console:supervision:solicitation_open"), {
        "body": district_body.pk, "year": year, "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=30), "announcement": "欢迎提出监督议题建议。"}))
    public = _client(login)
    index = _ok(public.get(reverse("public:supervision:index")), 200).content.decode()
    propose_url = reverse("public:supervision:propose", args=[district_body.pk])
    assert propose_url in index

    # A citizen proposes on the public form, without a phone (so without an SMS code).
    _ok(public.post(propose_url, {"title": CITIZEN_TITLE, "necessity": "居民上下楼困难，群众反映强烈。",
                                  "problem": "审批环节多，推进缓慢。"}))
    assert CITIZEN_TITLE in _ok(public.get(reverse("public:supervision:proposed")), 200).content.decode()

    # A deputy proposes a similar topic from the portal.
    portal = _client(login, deputy.user)
    _ok(portal.post(reverse("portal:supervision:propose"),
                    {"title": DEPUTY_TITLE, "necessity": "代表走访中发现的问题。"}))
    citizen_proposal = TopicProposal.objects.get(title=CITIZEN_TITLE)
    deputy_proposal = TopicProposal.objects.get(title=DEPUTY_TITLE)
    assert (citizen_proposal.year, deputy_proposal.year) == (year, year)

    # The office drafts the year's plan, merges the citizen's duplicate into the deputy's proposal
    # (the lineage shows on the proposal) and adopts it into a new topic of the draft plan.
    inbox = _ok(office.get(reverse("console:supervision:inbox")), 200).content.decode()
    assert CITIZEN_TITLE in inbox and DEPUTY_TITLE in inbox
    _ok(office.post(reverse("console:supervision:plan_list"),
                    {"year": year, "title": f"{year}年度监督工作计划", "body": district_body.pk}))
    plan = AnnualPlan.objects.get(body=district_body, year=year)
    _ok(office.post(reverse("console:supervision:proposal_detail", args=[citizen_proposal.pk]),
                    {"action": "merge", "merge-into": deputy_proposal.pk}))
    detail_url = reverse("console:supervision:proposal_detail", args=[deputy_proposal.pk])
    assert CITIZEN_TITLE in _ok(office.get(detail_url), 200).content.decode()
    _ok(office.post(detail_url, {"action": "adopt", "adopt-plan": plan.pk, "adopt-kind": TopicKind.WORK_REPORT,
                                 "adopt-title": TOPIC_TITLE}))
    deputy_proposal.refresh_from_db()
    citizen_proposal.refresh_from_db()
    topic = deputy_proposal.adopted_topic
    assert (deputy_proposal.state, citizen_proposal.state) == (TopicProposal.State.ADOPTED,
                                                               TopicProposal.State.MERGED)
    assert citizen_proposal.merged_into == deputy_proposal and topic.plan == plan and topic.title == TOPIC_TITLE
    assert _has(timeline(topic), "一项议题建议已纳入本议题")

    # The office names the lead committee, the supervised unit and the meeting date.
    meeting_date = datetime.date(year, 6, 25)
    _ok(office.post(reverse("console:supervision:topic_edit", args=[plan.pk, topic.pk]), {
        "kind": TopicKind.WORK_REPORT, "title": TOPIC_TITLE, "description": topic.description,
        "lead_committee": committee.pk, "supervised_units": [health_bureau.pk], "meeting_date": meeting_date,
    }))
    lines = timeline(topic)
    assert _has(lines, "已更新") and _has(lines, "已确定会议日期"), lines

    # The plan: submitted by the office, adopted by the chairpersons' meeting, published.
    _ok(office.post(reverse("console:supervision:plan_act", args=[plan.pk, "submit"])))
    _ok(_client(login, leader).post(reverse("console:supervision:plan_act", args=[plan.pk, "adopt"])))
    _ok(office.post(reverse("console:supervision:plan_act", args=[plan.pk, "publish"])))
    plan.refresh_from_db()
    assert plan.state == AnnualPlan.State.PUBLISHED
    history = _lines(_ok(office.get(reverse("console:supervision:plan_detail", args=[plan.pk])), 200)
                     .content.decode())
    for label in ("已添加议题", "已提交主任会议", "已通过", "已公布"):
        assert _has(history, label), (label, history)
    public_plan = _ok(public.get(reverse("public:supervision:plan", args=[plan.pk])), 200).content.decode()
    assert TOPIC_TITLE in public_plan

    # A deliberation opinion is drafted by the office, approved by a leader and sent to the unit.
    _ok(office.post(reverse("console:supervision:opinion_create", args=[topic.pk]), {
        "title": "关于加装电梯工作的审议意见", "text": "请简化审批流程，加快推进。", "units": [health_bureau.pk]}))
    opinion = DeliberationOpinion.objects.get(topic=topic)
    _ok(_client(login, leader).post(reverse("console:supervision:opinion_approve", args=[opinion.pk])))
    _ok(office.post(reverse("console:supervision:opinion_send", args=[opinion.pk])))
    opinion.refresh_from_db()
    assert opinion.state == DeliberationOpinion.State.SENT
    lines = timeline(topic)
    for label in ("已起草", "已同意", "已送交有关单位"):
        assert _has(lines, label), (label, lines)

    # The unit officer sees the topic and uploads the unit's work report on the topic page.
    unit = _client(login, unit_officer)
    topic_url = reverse("console:supervision:topic_detail", args=[topic.pk])
    assert "unit-report-form" in _ok(unit.get(topic_url), 200).content.decode()
    _ok(unit.post(reverse("console:supervision:topic_unit_report", args=[topic.pk]),
                  {"unit": health_bureau.pk, "title": "加装电梯工作情况报告", "text": "已完成加装120台。"}))
    assert _has(timeline(topic), "单位报告已上传")

    # ... and, on the opinion, its implementation report for round 1.
    report_url = reverse("console:supervision:implementation_report", args=[opinion.pk])
    assert report_url in _ok(unit.get(topic_url), 200).content.decode()
    _ok(unit.post(report_url, {"unit": health_bureau.pk, "text": "已按审议意见推进。"}))
    lines = timeline(topic)
    assert _has(lines, "已提交落实情况报告", "第 1 轮") and _has(lines, "各单位均已报告", "第 1 轮")

    # Round 1: the office opens the vote; two members are satisfied, three are not — two of five
    # is not more than half of all members, so it fails.
    _ok(office.post(reverse("console:supervision:opinion_vote_open", args=[opinion.pk])))
    first = SatisfactionVote.objects.get(opinion=opinion, round=1)
    assert _has(timeline(topic), "满意度测评已开始", "第 1 轮")
    member_clients = {voter.pk: _client(login, voter) for voter in committee_members}
    choices = [Choice.SATISFIED, Choice.SATISFIED, Choice.UNSATISFIED, Choice.UNSATISFIED, Choice.UNSATISFIED]
    _members_vote(first, committee_members, choices, member_clients, phone_first=True)
    _ok(office.post(reverse("console:supervision:vote_act", args=[first.pk, "close"])))
    first.refresh_from_db()
    opinion.refresh_from_db()
    assert (first.state, first.passed, first.online_satisfied, first.online_unsatisfied) == (
        SatisfactionVote.State.CLOSED, False, 2, 3)
    assert (opinion.state, opinion.round) == (DeliberationOpinion.State.RECTIFYING, 2)
    lines = timeline(topic)
    assert _has(lines, "满意度测评已结束", "第 1 轮")
    assert _has(lines, "测评未通过", "第 1 轮"), lines
    _ok(office.post(reverse("console:supervision:vote_act", args=[first.pk, "publish"])))

    # Rectification: the office and the unit put items on the round-2 ledger; the unit fills them in.
    due = today + datetime.timedelta(days=60)
    _ok(office.post(reverse("console:supervision:ledger_add", args=[opinion.pk]),
                    {"item": "精简加装电梯审批流程", "owner_unit": health_bureau.pk, "due_on": due}))
    _ok(unit.post(reverse("console:supervision:ledger_add", args=[opinion.pk]),
                  {"item": "设立加装电梯专项补助", "owner_unit": health_bureau.pk, "due_on": due}))
    items = list(RectificationItem.objects.filter(opinion=opinion).order_by("pk"))
    assert [item.round for item in items] == [2, 2]
    for item in items:
        _ok(unit.post(reverse("console:supervision:ledger_update", args=[item.pk]),
                      {"status": RectificationItem.Status.DONE, "progress": "已完成。"}))
    assert all(item.status == RectificationItem.Status.DONE
               for item in RectificationItem.objects.filter(opinion=opinion))
    lines = timeline(topic)
    assert _has(lines, "已添加台账事项", "第 2 轮")
    unit_page = _ok(unit.get(topic_url), 200).content.decode()
    assert "精简加装电梯审批流程" in unit_page and "已完成。" in unit_page

    # The unit reports again, round 2, and the members vote it through (three of five satisfied).
    assert report_url in unit_page
    _ok(unit.post(report_url, {"unit": health_bureau.pk, "text": "整改事项均已完成。"}))
    lines = timeline(topic)
    assert _has(lines, "已提交落实情况报告", "第 2 轮") and _has(lines, "各单位均已报告", "第 2 轮")
    _ok(office.post(reverse("console:supervision:opinion_vote_open", args=[opinion.pk])))
    second = SatisfactionVote.objects.get(opinion=opinion, round=2)
    assert _has(timeline(topic), "满意度测评已开始", "第 2 轮")
    choices = [Choice.SATISFIED, Choice.SATISFIED, Choice.SATISFIED, Choice.BASICALLY, Choice.UNSATISFIED]
    _members_vote(second, committee_members, choices, member_clients, phone_first=False)
    _ok(office.post(reverse("console:supervision:vote_act", args=[second.pk, "close"])))
    _ok(office.post(reverse("console:supervision:vote_act", args=[second.pk, "publish"])))
    second.refresh_from_db()
    opinion.refresh_from_db()
    assert (second.passed, second.is_published, opinion.state) == (True, True, DeliberationOpinion.State.PASSED)
    lines = timeline(topic)
    assert _has(lines, "满意度测评已结束", "第 2 轮") and _has(lines, "测评通过", "第 2 轮")
    assert _has(lines, "已公布", "第 1 轮") and _has(lines, "已公布", "第 2 轮"), lines

    # The public site: the published plan lists the topic, the topic shows both rounds' results.
    index = _ok(public.get(reverse("public:supervision:index")), 200).content.decode()
    assert reverse("public:supervision:plan", args=[plan.pk]) in index
    assert TOPIC_TITLE in _ok(public.get(reverse("public:supervision:plan", args=[plan.pk])), 200).content.decode()
    public_topic = _ok(public.get(reverse("public:supervision:topic", args=[topic.pk])), 200).content.decode()
    rows = [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
            for row in re.findall(r"<tr>(.*?)</tr>", public_topic.split("<tbody>", 1)[1], re.S)]
    assert rows == ["1 2 0 3 未通过", "2 3 1 1 已通过"], rows
