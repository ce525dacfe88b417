"""Solicitation: the window, proposals from every channel, merging with lineage, adopt and decline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from congress.models import Event, Notification
from congress.workflow import StaleState, TransitionForbidden
from supervision import services
from supervision.models import SolicitationWindow, TopicKind, TopicProposal
from tests.factories.supervision import SolicitationWindowFactory, TopicProposalFactory

pytestmark = pytest.mark.django_db

State = TopicProposal.State


@pytest.fixture
def open_window(district_body):
    today = datetime.date.today()
    return SolicitationWindowFactory(body=district_body, year=today.year + 1, opens_on=today - datetime.timedelta(1),
                                     closes_on=today + datetime.timedelta(30))


def test_window_defaults_to_the_fourth_quarter_before_the_plan_year(staff_clerk, district_body):
    window = services.solicitation_open(actor=staff_clerk, body=district_body, year=2027)

    assert (window.opens_on, window.closes_on) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert Event.objects.for_object(window).filter(verb="opened").exists()


def test_unit_officer_cannot_open_the_solicitation(unit_officer, district_body):
    with pytest.raises(TransitionForbidden):
        services.solicitation_open(actor=unit_officer, body=district_body, year=2027)


def test_citizen_proposes_while_the_window_is_open_and_the_phone_is_encrypted(open_window, district_body):
    proposal = services.proposal_submit_public(
        body=district_body, title="老旧小区加装电梯", necessity="老人上下楼难", name="王女士", phone="13800001111",
        phone_verified=True,
    )

    assert proposal.channel == TopicProposal.Channel.PUBLIC
    assert proposal.window == open_window and proposal.year == open_window.year
    assert proposal.phone_verified
    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_phone FROM supervision_topicproposal WHERE id = %s", [proposal.pk])
        stored = cursor.fetchone()[0]
    assert "13800001111" not in stored


def test_citizen_cannot_propose_after_the_window_closed(open_window, staff_clerk, district_body):
    services.solicitation_close(actor=staff_clerk, window=open_window)

    with pytest.raises(ValidationError):
        services.proposal_submit_public(body=district_body, title="题目", necessity="理由")
    assert not SolicitationWindow.objects.get(pk=open_window.pk).is_open(datetime.date.today())


def test_deputy_proposes_for_their_own_mandate_only(open_window, deputy, deputy_user, member):
    proposal = services.proposal_submit_by_deputy(actor=deputy_user, deputy=deputy, title="农村饮水安全",
                                                  necessity="水质不稳定")
    assert proposal.proposer_deputy == deputy
    assert proposal.channel == TopicProposal.Channel.DEPUTY_SUGGESTION

    with pytest.raises(TransitionForbidden):
        services.proposal_submit_by_deputy(actor=member, deputy=deputy, title="x", necessity="y")


def test_township_office_collects_proposals_in_its_own_town_only(open_window, district_body, township_officer_a,
                                                                 town_a, town_b):
    proposal = services.proposal_submit_by_township(actor=township_officer_a, body=district_body, region=town_a,
                                                    title="集镇停车难", necessity="占道严重")
    assert proposal.source_region == town_a

    with pytest.raises(TransitionForbidden):
        services.proposal_submit_by_township(actor=township_officer_a, body=district_body, region=town_b,
                                             title="x", necessity="y")


def test_merged_proposals_keep_their_identity_and_lineage_into_the_topic(staff_clerk, district_body, plan,
                                                                         deputy, deputy_user):
    primary = TopicProposalFactory(body=district_body, title="基层医疗")
    duplicate = TopicProposalFactory(body=district_body, title="乡镇卫生院人手不足", proposer_deputy=deputy)
    second_hand = TopicProposalFactory(body=district_body, title="村卫生所")

    services.proposal_merge(actor=staff_clerk, proposal=second_hand, into=duplicate)
    services.proposal_merge(actor=staff_clerk, proposal=duplicate, into=primary)
    services.proposal_adopt(actor=staff_clerk, proposal=primary, plan=plan, kind=TopicKind.WORK_REPORT)

    primary.refresh_from_db()
    duplicate.refresh_from_db()
    second_hand.refresh_from_db()
    assert primary.state == State.ADOPTED and primary.adopted_topic is not None
    assert (duplicate.state, duplicate.merged_into) == (State.MERGED, primary)
    assert (second_hand.state, second_hand.merged_into) == (State.MERGED, duplicate)
    assert duplicate.title == "乡镇卫生院人手不足"  # identity kept
    lineage = {p.pk for p in services.merged_family(primary)}
    assert lineage == {primary.pk, duplicate.pk, second_hand.pk}
    # The deputy whose duplicate was merged hears that the topic was adopted.
    assert Notification.objects.filter(recipient=deputy_user, kind="supervision.proposal_adopted").exists()


def test_a_proposal_cannot_be_merged_into_its_own_duplicate(staff_clerk, district_body):
    first = TopicProposalFactory(body=district_body)
    second = TopicProposalFactory(body=district_body)
    services.proposal_merge(actor=staff_clerk, proposal=second, into=first)

    with pytest.raises((ValidationError, StaleState)):
        services.proposal_merge(actor=staff_clerk, proposal=first, into=second)


def test_decline_needs_a_reason_and_the_proposer_is_told(staff_clerk, district_body, deputy, deputy_user):
    proposal = TopicProposalFactory(body=district_body, proposer_deputy=deputy, proposer_user=deputy_user)

    with pytest.raises(ValidationError):
        services.proposal_decline(actor=staff_clerk, proposal=proposal, reason=" ")
    services.proposal_decline(actor=staff_clerk, proposal=proposal, reason="已列入政府年度重点工作")

    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED
    notice = Notification.objects.get(recipient=deputy_user, kind="supervision.proposal_declined")
    assert notice.body == "已列入政府年度重点工作"


def test_a_decided_proposal_cannot_be_decided_again(staff_clerk, district_body, plan):
    proposal = TopicProposalFactory(body=district_body)
    services.proposal_decline(actor=staff_clerk, proposal=proposal, reason="不属于监督范围")

    with pytest.raises(StaleState):
        services.proposal_adopt(actor=staff_clerk, proposal=proposal, plan=plan, kind=TopicKind.RESEARCH)
