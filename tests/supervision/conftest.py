"""Fixtures of the supervision tests: a plan with a topic on the 卫健局, a standing committee of
five (the `leader` and `member` personas and three more members), and an opinion sent to the unit."""

import datetime

import pytest

from congress.models.accounts import Role
from supervision import services
from supervision.models import TopicKind
from tests.factories.congress import SessionFactory, user_with_role
from tests.factories.supervision import AnnualPlanFactory


@pytest.fixture
def plan(district_body):
    return AnnualPlanFactory(body=district_body, year=2027)


@pytest.fixture
def meeting(district_body):
    return SessionFactory(term=district_body.terms.get(), kind="standing", number=20,
                          starts_on=datetime.date(2027, 6, 25))


@pytest.fixture
def topic(plan, staff_clerk, committee, health_bureau, meeting):
    return services.topic_create(
        actor=staff_clerk, plan=plan, kind=TopicKind.WORK_REPORT, title="关于全区基层医疗卫生服务能力建设情况的报告",
        lead_committee=committee, supervised_units=[health_bureau], meeting=meeting,
    )


@pytest.fixture
def other_members(district_body):
    return [user_with_role(Role.MEMBER, username=f"member{n}", body=district_body) for n in range(3)]


@pytest.fixture
def committee_members(leader, member, other_members):
    """All five members of the standing committee (leaders are members too)."""
    return [leader, member, *other_members]


@pytest.fixture
def sent_opinion(topic, staff_clerk, leader, health_bureau):
    opinion = services.opinion_draft(actor=staff_clerk, topic=topic, title="审议意见", text="请加强基层医疗队伍建设。",
                                     units=[health_bureau])
    services.opinion_approve(actor=leader, opinion=opinion)
    return services.opinion_send(actor=staff_clerk, opinion=opinion, on=datetime.date(2027, 7, 1))


@pytest.fixture
def reported_opinion(sent_opinion, unit_officer, health_bureau):
    services.implementation_report_submit(actor=unit_officer, opinion=sent_opinion, unit=health_bureau,
                                          text="已完成整改。")
    sent_opinion.refresh_from_db()
    return sent_opinion


@pytest.fixture
def passed_opinion(reported_opinion, staff_clerk, committee_members):
    """The opinion after a satisfaction vote that passed (three of five members satisfied)."""
    from supervision.models import Choice, SatisfactionVote

    vote, tokens = services.vote_open(actor=staff_clerk, topic=reported_opinion.topic,
                                      subject=SatisfactionVote.Subject.IMPLEMENTATION, opinion=reported_opinion)
    for voter in committee_members[:3]:
        services.ballot_cast_by_token(token=tokens[voter.pk], choice=Choice.SATISFIED)
    services.vote_close(actor=staff_clerk, vote=vote)
    reported_opinion.refresh_from_db()
    return reported_opinion
