"""Portal pages of supervision: a deputy proposes a topic, a member rates an open vote once and
secretly, a deputy sees the supervision activities they took part in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import MemberBallot, SatisfactionVote, TopicProposal
from tests.factories.supervision import SolicitationWindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_window(district_body):
    today = timezone.localdate()
    return SolicitationWindowFactory(body=district_body, year=today.year + 1,
                                     opens_on=today - datetime.timedelta(days=1),
                                     closes_on=today + datetime.timedelta(days=30))


@pytest.fixture
def open_vote(staff_clerk, reported_opinion, committee_members):
    vote, _tokens = services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                                       opinion=reported_opinion)
    return vote


def test_a_deputy_proposes_a_topic_for_their_congress(client, login, deputy, open_window):
    login(client, deputy.user)
    response = client.post(reverse("portal:supervision:propose"),
                           {"title": "农村饮水安全", "necessity": "群众反映水质问题。"})
    assert response.status_code == 302
    proposal = TopicProposal.objects.get()
    assert (proposal.proposer_deputy, proposal.channel) == (deputy, TopicProposal.Channel.DEPUTY_SUGGESTION)
    assert "农村饮水安全" in client.get(reverse("portal:supervision:home")).content.decode()


def test_a_deputy_cannot_propose_when_no_solicitation_is_open(client, login, deputy):
    login(client, deputy.user)
    response = client.post(reverse("portal:supervision:propose"), {"title": "题目", "necessity": "理由"})
    assert response.status_code == 400
    assert not TopicProposal.objects.exists()


def test_a_member_rates_an_open_vote_once(client, login, member, open_vote):
    login(client, member)
    assert open_vote.topic.title in client.get(reverse("portal:supervision:home")).content.decode()
    url = reverse("portal:supervision:vote", args=[open_vote.pk])
    assert client.post(url, {"choice": "satisfied"}).status_code == 302
    open_vote.refresh_from_db()
    assert open_vote.online_satisfied == 1
    assert MemberBallot.objects.get(vote=open_vote, member=member).used_at is not None
    # The ballot is spent: a second visit finds nothing to vote on, and nothing is counted twice.
    assert client.post(url, {"choice": "unsatisfied"}).status_code == 404
    assert SatisfactionVote.objects.get(pk=open_vote.pk).votes_cast == 1


def test_a_closed_vote_takes_no_ballot(client, login, member, staff_clerk, open_vote):
    services.vote_close(actor=staff_clerk, vote=open_vote)
    login(client, member)
    assert client.post(reverse("portal:supervision:vote", args=[open_vote.pk]),
                       {"choice": "satisfied"}).status_code == 404


@pytest.mark.parametrize("persona", ["deputy_user", "unit_officer", "staff_clerk"])
def test_only_members_on_the_roll_vote(client, login, request, persona, open_vote):
    login(client, request.getfixturevalue(persona))
    response = client.post(reverse("portal:supervision:vote", args=[open_vote.pk]), {"choice": "satisfied"})
    assert response.status_code in (403, 404)
    assert SatisfactionVote.objects.get(pk=open_vote.pk).votes_cast == 0


def test_a_deputy_sees_the_activities_they_took_part_in(client, login, deputy, staff_clerk, topic):
    services.activity_record(actor=staff_clerk, topic=topic, kind="research", title="基层卫生院调研",
                             date=datetime.date(2027, 4, 2), deputies=[deputy])
    login(client, deputy.user)
    assert "基层卫生院调研" in client.get(reverse("portal:supervision:home")).content.decode()
