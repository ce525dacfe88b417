"""Console pages of supervision: the office decides proposals and carries the plan through its
workflow; readers see without acting; a unit officer sees only its own topics and ledger items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from congress.models import Event, Notification
from congress.timeline import verb_label
from supervision import services
from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    ImplementationReport,
    PlanVersion,
    RectificationItem,
    SatisfactionVote,
    SolicitationWindow,
    SupervisionActivity,
    Topic,
    TopicKind,
    TopicProposal,
)
from tests.factories.congress import UnitFactory
from tests.factories.supervision import TopicFactory, TopicProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(district_body):
    return TopicProposalFactory(body=district_body, title="学前教育资源配置")


def test_staff_open_the_solicitation_from_the_inbox_and_the_public_site_offers_the_form(
    client, login, staff_clerk, district_body
):
    today = timezone.localdate()
    login(client, staff_clerk)
    assert "solicitation-form" in client.get(reverse("console:supervision:inbox")).content.decode()
    client.post(reverse("console:supervision:solicitation_open"), {
        "body": district_body.pk, "year": today.year + 1, "opens_on": today,
        "closes_on": today + datetime.timedelta(30),
    })
    window = SolicitationWindow.objects.get(body=district_body)
    assert (window.year, window.opens_on) == (today.year + 1, today)
    assert Event.objects.for_object(window).get().verb == "opened"
    client.logout()
    index = client.get(reverse("public:supervision:index")).content.decode()
    assert reverse("public:supervision:propose", args=[district_body.pk]) in index


def test_a_solicitation_closing_before_it_opens_or_opened_by_a_member_changes_nothing(
    client, login, staff_clerk, member, district_body
):
    today = timezone.localdate()
    data = {"body": district_body.pk, "year": today.year + 1, "opens_on": today,
            "closes_on": today - datetime.timedelta(1)}
    login(client, staff_clerk)
    client.post(reverse("console:supervision:solicitation_open"), data)
    login(client, member)
    response = client.post(reverse("console:supervision:solicitation_open"), {**data, "closes_on": today})
    assert response.status_code == 403
    assert not SolicitationWindow.objects.exists()


def test_staff_decline_a_proposal_with_a_reason(client, login, staff_clerk, proposal):
    login(client, staff_clerk)
    assert proposal.title in client.get(reverse("console:supervision:inbox")).content.decode()
    url = reverse("console:supervision:proposal_detail", args=[proposal.pk])
    response = client.post(url, {"action": "decline", "decline-reason": "已列入去年计划"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decline_reason) == (TopicProposal.State.DECLINED, "已列入去年计划")
    assert Event.objects.for_object(proposal).filter(verb="declined").exists()


def test_a_decline_without_a_reason_changes_nothing(client, login, staff_clerk, proposal):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:proposal_detail", args=[proposal.pk]),
                           {"action": "decline", "decline-reason": ""})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.state == TopicProposal.State.SUBMITTED


def test_staff_adopt_a_proposal_into_a_new_topic_of_the_draft_plan(client, login, staff_clerk, proposal, plan):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:proposal_detail", args=[proposal.pk]), {
        "action": "adopt", "adopt-plan": plan.pk, "adopt-kind": TopicKind.RESEARCH, "adopt-title": "",
    })
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == TopicProposal.State.ADOPTED
    assert proposal.adopted_topic.plan == plan and proposal.adopted_topic.title == proposal.title


def test_staff_merge_a_duplicate(client, login, staff_clerk, proposal, district_body):
    duplicate = TopicProposalFactory(body=district_body, title="幼儿园学位紧张")
    login(client, staff_clerk)
    client.post(reverse("console:supervision:proposal_detail", args=[duplicate.pk]),
                {"action": "merge", "merge-into": proposal.pk})
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into) == (TopicProposal.State.MERGED, proposal)


@pytest.mark.parametrize("persona", ["unit_officer", "member", "township_officer_a"])
def test_only_the_office_opens_the_inbox(client, login, request, persona, proposal):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("console:supervision:inbox")).status_code == 403
    assert client.post(reverse("console:supervision:proposal_detail", args=[proposal.pk]),
                       {"action": "decline", "decline-reason": "x"}).status_code == 403


def test_the_plan_goes_from_draft_to_published_and_adjusted_with_its_versions(
    client, login, staff_clerk, leader, topic
):
    plan = topic.plan
    act = lambda user, action, **data: login(client, user).post(  # noqa: E731
        reverse("console:supervision:plan_act", args=[plan.pk, action]), data)
    act(staff_clerk, "submit")
    act(staff_clerk, "adopt")  # the office cannot adopt: the chairpersons' meeting does
    assert AnnualPlan.objects.get(pk=plan.pk).state == AnnualPlan.State.SUBMITTED
    act(leader, "adopt")
    act(staff_clerk, "publish")
    act(staff_clerk, "adjust", reason="增加一个议题")
    login(client, staff_clerk).post(reverse("console:supervision:topic_create", args=[plan.pk]), {
        "kind": TopicKind.INSPECTION, "title": "食品安全执法检查", "meeting_date": "2027-09-20",
    })
    act(staff_clerk, "publish")
    plan.refresh_from_db()
    assert (plan.state, plan.published_version) == (AnnualPlan.State.PUBLISHED, 2)
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [len(v.snapshot) for v in versions] == [1, 2] and versions[1].reason == "增加一个议题"
    page = client.get(reverse("console:supervision:plan_detail", args=[plan.pk])).content.decode()
    assert "食品安全执法检查" in page and "增加一个议题" in page


def test_a_topic_added_with_a_meeting_date_gets_its_milestones(client, login, staff_clerk, plan):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:topic_create", args=[plan.pk]), {
        "kind": TopicKind.WORK_REPORT, "title": "养老服务体系建设", "meeting_date": "2027-08-26",
    })
    assert response.status_code == 302
    topic = Topic.objects.get(title="养老服务体系建设")
    assert topic.report_to_members_due is not None and topic.milestones_basis


def test_a_unit_officer_sees_only_the_topics_of_its_unit(client, login, unit_officer, topic, plan, district):
    other = TopicFactory(plan=plan, title="其他单位的议题")
    other.supervised_units.set([UnitFactory(region=district, name="交通局")])
    login(client, unit_officer)
    listing = client.get(reverse("console:supervision:topic_list")).content.decode()
    assert topic.title in listing and other.title not in listing
    assert client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).status_code == 200
    assert client.get(reverse("console:supervision:topic_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("console:supervision:plan_detail", args=[plan.pk])).status_code == 200
    assert other.title not in client.get(reverse("console:supervision:plan_detail", args=[plan.pk])).content.decode()


def test_a_unit_officer_uploads_its_report_and_fills_only_its_own_ledger_items(
    client, login, unit_officer, staff_clerk, sent_opinion, health_bureau, district
):
    topic = sent_opinion.topic
    own = services.rectification_item_add(actor=staff_clerk, item="补齐村医", owner_unit=health_bureau,
                                           due_on=datetime.date(2027, 9, 1), opinion=sent_opinion)
    foreign = services.rectification_item_add(actor=staff_clerk, item="交通整改", owner_unit=UnitFactory(
        region=district, name="交通局"), due_on=datetime.date(2027, 9, 1), opinion=sent_opinion)
    login(client, unit_officer)
    client.post(reverse("console:supervision:topic_unit_report", args=[topic.pk]),
                {"unit": health_bureau.pk, "title": "专项工作报告", "text": "报告正文"})
    assert topic.unit_reports.get().title == "专项工作报告"
    page = client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).content.decode()
    assert "补齐村医" in page and "交通整改" not in page
    client.post(reverse("console:supervision:ledger_update", args=[own.pk]), {"status": "done", "progress": "已完成"})
    assert RectificationItem.objects.get(pk=own.pk).status == RectificationItem.Status.DONE
    response = client.post(reverse("console:supervision:ledger_update", args=[foreign.pk]), {"status": "done"})
    assert response.status_code == 404
    assert RectificationItem.objects.get(pk=foreign.pk).status == RectificationItem.Status.OPEN


def test_the_office_drafts_an_opinion_a_leader_approves_it_and_the_office_sends_it_from_the_topic_page(
    client, login, staff_clerk, leader, unit_officer, topic, health_bureau
):
    topic_url = reverse("console:supervision:topic_detail", args=[topic.pk])
    login(client, staff_clerk)
    assert "opinion-form" in client.get(topic_url).content.decode()
    client.post(reverse("console:supervision:opinion_create", args=[topic.pk]),
                {"title": "审议意见", "text": "请加强基层医疗队伍建设。", "units": [health_bureau.pk]})
    opinion = DeliberationOpinion.objects.get(topic=topic)
    assert (opinion.state, list(opinion.units.all())) == (DeliberationOpinion.State.DRAFTED, [health_bureau])

    approve = reverse("console:supervision:opinion_approve", args=[opinion.pk])
    assert approve not in client.get(topic_url).content.decode()  # the office does not approve
    assert client.post(approve).status_code == 403
    login(client, leader)
    assert approve in client.get(topic_url).content.decode()
    client.post(approve)
    login(client, staff_clerk)
    client.post(reverse("console:supervision:opinion_send", args=[opinion.pk]))

    opinion.refresh_from_db()
    assert opinion.state == DeliberationOpinion.State.SENT and opinion.sent_on is not None
    assert opinion.recipients.get().due_on is not None
    assert [event.verb for event in Event.objects.for_object(opinion).order_by("pk")] == [
        "drafted", "approved", "sent"]
    assert Notification.objects.filter(recipient=unit_officer, kind="supervision.opinion").exists()


def test_an_opinion_without_text_or_unit_is_not_drafted(client, login, staff_clerk, topic):
    login(client, staff_clerk)
    url = reverse("console:supervision:opinion_create", args=[topic.pk])
    client.post(url, {"title": "审议意见", "text": "", "units": []})
    client.post(url, {"title": "审议意见", "text": "正文"})
    assert not DeliberationOpinion.objects.exists()


def test_the_office_publishes_a_sent_opinion_once_and_not_a_draft(client, login, staff_clerk, sent_opinion, topic):
    login(client, staff_clerk)
    url = reverse("console:supervision:opinion_publish", args=[sent_opinion.pk])

    client.post(url)
    client.post(url)

    sent_opinion.refresh_from_db()
    assert sent_opinion.is_published
    assert Event.objects.for_object(topic).filter(verb="opinion_published").count() == 1
    page = client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).content.decode()
    assert "已在公众网站公布" in page
    draft = services.opinion_draft(actor=staff_clerk, topic=topic, title="第二份意见", text="正文",
                                   units=list(topic.supervised_units.all()))
    client.post(reverse("console:supervision:opinion_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_unit_officer_cannot_publish_an_opinion(client, login, unit_officer, sent_opinion):
    login(client, unit_officer)
    response = client.post(reverse("console:supervision:opinion_publish", args=[sent_opinion.pk]))
    sent_opinion.refresh_from_db()
    assert response.status_code in (403, 404) and not sent_opinion.is_published


def test_a_unit_officer_submits_the_implementation_report_from_the_topic_page_once_per_round(
    client, login, unit_officer, sent_opinion, health_bureau
):
    topic_url = reverse("console:supervision:topic_detail", args=[sent_opinion.topic_id])
    report_url = reverse("console:supervision:implementation_report", args=[sent_opinion.pk])
    login(client, unit_officer)
    assert report_url in client.get(topic_url).content.decode()

    response = client.post(report_url, {"unit": health_bureau.pk, "text": "已按审议意见完成整改。"})
    assert response.status_code == 302
    report = ImplementationReport.objects.get(opinion=sent_opinion)
    assert (report.unit, report.round, report.submitted_by) == (health_bureau, 1, unit_officer)
    sent_opinion.refresh_from_db()
    assert sent_opinion.state == DeliberationOpinion.State.REPORTED
    assert Event.objects.for_object(sent_opinion).filter(verb="implementation_reported").count() == 1
    assert report_url not in client.get(topic_url).content.decode()

    client.post(report_url, {"unit": health_bureau.pk, "text": "再报一次"})
    assert ImplementationReport.objects.filter(opinion=sent_opinion).count() == 1


def test_an_empty_implementation_report_or_one_for_another_unit_changes_nothing(
    client, login, unit_officer, staff_clerk, sent_opinion, district
):
    report_url = reverse("console:supervision:implementation_report", args=[sent_opinion.pk])
    login(client, unit_officer)
    client.post(report_url, {"unit": sent_opinion.recipients.get().unit_id, "text": "  "})
    client.post(report_url, {"unit": UnitFactory(region=district, name="交通局").pk, "text": "代报"})
    assert not ImplementationReport.objects.exists()

    login(client, staff_clerk)  # the office has no unit: it sees no report form and cannot report
    topic_page = client.get(reverse("console:supervision:topic_detail", args=[sent_opinion.topic_id]))
    assert report_url not in topic_page.content.decode()
    client.post(report_url, {"unit": sent_opinion.recipients.get().unit_id, "text": "代报"})
    assert not ImplementationReport.objects.exists()


def test_staff_enter_paper_ballots_and_close_the_vote(client, login, staff_clerk, reported_opinion,
                                                      committee_members):
    login(client, staff_clerk)
    topic = reported_opinion.topic
    client.post(reverse("console:supervision:opinion_vote_open", args=[reported_opinion.pk]))
    vote = SatisfactionVote.objects.get(opinion=reported_opinion)
    client.post(reverse("console:supervision:vote_act", args=[vote.pk, "tally"]),
                {"satisfied": 3, "basically": 1, "unsatisfied": 1})
    client.post(reverse("console:supervision:vote_act", args=[vote.pk, "close"]))
    vote.refresh_from_db()
    assert (vote.state, vote.passed, vote.paper_satisfied) == (SatisfactionVote.State.CLOSED, True, 3)
    page = client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).content.decode()
    with translation.override("zh-hans"):
        assert 'id="timeline"' in page and verb_label("vote_closed", "supervision") in page


def test_a_reader_cannot_close_a_vote(client, login, member, staff_clerk, reported_opinion, committee_members):
    vote, _tokens = services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                                       opinion=reported_opinion)
    login(client, member)
    assert client.post(reverse("console:supervision:vote_act", args=[vote.pk, "close"])).status_code == 403
    assert SatisfactionVote.objects.get(pk=vote.pk).state == SatisfactionVote.State.OPEN


def _topics(plan, count, units):
    for n in range(count):
        topic = TopicFactory(plan=plan, title=f"议题{n}", kind=list(TopicKind.values)[n % len(TopicKind.values)],
                             meeting_date=datetime.date(2027, 6, 1))
        topic.supervised_units.set(units)


@pytest.mark.parametrize("count", [5, 30])
def test_the_plan_page_runs_a_bounded_number_of_queries(
    client, login, staff_clerk, plan, health_bureau, count, django_assert_max_num_queries
):
    _topics(plan, count, [health_bureau])
    login(client, staff_clerk)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("console:supervision:plan_detail", args=[plan.pk]))
    assert response.content.decode().count("data-topic=") == count


@pytest.mark.parametrize("count", [5, 30])
def test_the_topic_page_runs_a_bounded_number_of_queries(
    client, login, staff_clerk, sent_opinion, health_bureau, count, django_assert_max_num_queries
):
    topic = sent_opinion.topic
    for n in range(count):
        SupervisionActivity.objects.create(topic=topic, kind="research", title=f"调研{n}",
                                           date=datetime.date(2027, 5, 1))
        RectificationItem.objects.create(opinion=sent_opinion, round=1, item=f"整改{n}", owner_unit=health_bureau,
                                         due_on=datetime.date(2027, 9, 1))
    login(client, staff_clerk)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("console:supervision:topic_detail", args=[topic.pk]))
    assert response.content.decode().count("data-ledger=") == count


def test_staff_record_an_activity_and_add_ledger_items(client, login, staff_clerk, sent_opinion, health_bureau):
    topic = sent_opinion.topic
    login(client, staff_clerk)
    client.post(reverse("console:supervision:activity_add", args=[topic.pk]),
                {"kind": "research", "title": "社区卫生服务中心调研", "date": "2027-05-10"})
    client.post(reverse("console:supervision:ledger_add", args=[sent_opinion.pk]),
                {"item": "补齐全科医生", "owner_unit": health_bureau.pk, "due_on": "2027-10-01"})
    assert SupervisionActivity.objects.get(topic=topic).title == "社区卫生服务中心调研"
    row = RectificationItem.objects.get(opinion=sent_opinion)
    assert (row.item, row.owner_unit, row.round) == ("补齐全科医生", health_bureau, 1)


def test_a_unit_officer_adds_ledger_items_only_for_its_own_unit(
    client, login, unit_officer, staff_clerk, sent_opinion, district
):
    other = UnitFactory(region=district, name="交通局")
    login(client, unit_officer)
    client.post(reverse("console:supervision:ledger_add", args=[sent_opinion.pk]),
                {"item": "替别人填", "owner_unit": other.pk, "due_on": "2027-10-01"})
    assert not RectificationItem.objects.exists()
    assert client.post(reverse("console:supervision:activity_add", args=[sent_opinion.topic_id]),
                       {"kind": "research", "title": "x", "date": "2027-05-10"}).status_code == 403


def test_an_auditor_reads_the_topic_without_the_office_buttons(client, login, auditor, reported_opinion,
                                                               staff_clerk, committee_members):
    services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                       opinion=reported_opinion)
    login(client, auditor)
    response = client.get(reverse("console:supervision:topic_detail", args=[reported_opinion.topic_id]))
    page = response.content.decode()
    assert response.status_code == 200 and reported_opinion.title in page
    assert "/close/" not in page and 'id="activity-form"' not in page


def test_a_unit_officer_never_sees_a_draft_opinion_or_its_history(client, login, unit_officer, staff_clerk, topic,
                                                                  health_bureau):
    services.opinion_draft(actor=staff_clerk, topic=topic, title="尚未审定的意见", text="草稿", units=[health_bureau])
    login(client, unit_officer)
    page = client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).content.decode()
    assert "尚未审定的意见" not in page and "草稿" not in page
    login(client, staff_clerk)
    assert "尚未审定的意见" in client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).content.decode()
