"""Members' phone links to satisfaction votes: each member is sent a signed single-use link when the
vote opens; the public page casts the secret ballot once, refuses a used, expired, replaced or
closed link in Chinese without changing anything, and the office can send a member a new link."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from congress.models import Event, Notification
from supervision import services
from supervision.models import Choice, MemberBallot, SatisfactionVote
from supervision.services.common import token_digest
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_vote(reported_opinion, staff_clerk, committee_members):
    return services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                              opinion=reported_opinion)


def _url(token):
    return reverse("public:supervision:ballot", args=[token])


def _link_of(member, vote) -> str:
    notification = Notification.objects.get(recipient=member, kind="supervision.vote_link",
                                            dedupe_key__startswith=f"vote-link:{vote.pk}:")
    return notification.url


def test_opening_a_vote_sends_each_member_an_urgent_notification_with_their_own_link(
    open_vote, committee_members
):
    vote, tokens = open_vote
    links = [_link_of(member, vote) for member in committee_members]
    assert len(set(links)) == len(committee_members)
    for member in committee_members:
        notification = Notification.objects.get(recipient=member, kind="supervision.vote_link")
        assert notification.is_urgent
        assert notification.url == _url(tokens[member.pk])
        assert notification.url in notification.title  # the SMS of an urgent notification is its title
    # Only digests are stored: no token, signed or raw, is on a ballot row.
    digests = set(MemberBallot.objects.filter(vote=vote).values_list("token_digest", flat=True))
    assert not set(tokens.values()) & digests
    assert all(len(digest) == 64 for digest in digests)


def test_a_member_votes_from_the_phone_link_once_and_the_choice_is_not_recorded_against_them(
    client, open_vote, member
):
    vote, tokens = open_vote
    page = client.get(_url(tokens[member.pk]))
    assert page.status_code == 200
    assert vote.topic.title in page.content.decode() and "ballot-form" in page.content.decode()

    response = client.post(_url(tokens[member.pk]), {"choice": Choice.BASICALLY})
    assert response.status_code == 200 and "ballot-result" in response.content.decode()
    vote.refresh_from_db()
    assert (vote.online_basically, vote.votes_cast) == (1, 1)
    ballot = MemberBallot.objects.get(vote=vote, member=member)
    assert ballot.used_at is not None
    assert not Event.objects.for_object(vote).filter(data__has_key="choice").exists()


def test_a_second_use_of_the_link_is_refused_in_chinese_and_changes_nothing(client, open_vote, member):
    vote, tokens = open_vote
    client.post(_url(tokens[member.pk]), {"choice": Choice.SATISFIED})

    again = client.post(_url(tokens[member.pk]), {"choice": Choice.UNSATISFIED}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 409
    assert "已" in again.content.decode() and "ballot-form" not in again.content.decode()
    assert "ballot-form" not in client.get(_url(tokens[member.pk])).content.decode()
    vote.refresh_from_db()
    assert (vote.online_satisfied, vote.online_unsatisfied) == (1, 0)


def test_an_expired_link_is_refused_and_the_ballot_stays_unused(client, open_vote, member, settings):
    vote, tokens = open_vote
    settings.SUPERVISION_BALLOT_LINK_MAX_AGE = datetime.timedelta(seconds=-1)

    response = client.post(_url(tokens[member.pk]), {"choice": Choice.SATISFIED})
    assert response.status_code == 409
    assert str(services.BallotLinkExpired.default_message) in response.content.decode()
    assert MemberBallot.objects.get(vote=vote, member=member).used_at is None
    assert SatisfactionVote.objects.get(pk=vote.pk).votes_cast == 0


def test_a_closed_vote_refuses_the_link_and_leaves_the_ballot_unspent(client, open_vote, member, staff_clerk):
    vote, tokens = open_vote
    services.vote_close(actor=staff_clerk, vote=vote)

    assert "ballot-form" not in client.get(_url(tokens[member.pk])).content.decode()
    response = client.post(_url(tokens[member.pk]), {"choice": Choice.SATISFIED})
    assert response.status_code == 409
    assert MemberBallot.objects.get(vote=vote, member=member).used_at is None
    assert SatisfactionVote.objects.get(pk=vote.pk).votes_cast == 0


def test_a_forged_or_tampered_link_is_a_404(client, open_vote, member):
    _vote, tokens = open_vote
    assert client.get(_url("forged")).status_code == 404
    raw, _timestamp, _signature = tokens[member.pk].split(":")
    assert client.post(_url(f"{raw}:AAAAAA:xyz"), {"choice": Choice.SATISFIED}).status_code == 404


def test_resending_issues_a_new_link_and_the_old_one_stops_working(
    client, login, open_vote, member, staff_clerk
):
    vote, tokens = open_vote
    login(client, staff_clerk)
    roll = client.get(reverse("console:supervision:vote_roll", args=[vote.pk]))
    assert roll.status_code == 200 and member.display_name in roll.content.decode()
    response = client.post(reverse("console:supervision:ballot_link_resend", args=[vote.pk, member.pk]))
    assert response.status_code == 302

    links = list(Notification.objects.filter(recipient=member, kind="supervision.vote_link").values_list(
        "url", flat=True))
    assert len(links) == 2
    new_link = next(link for link in links if link != _url(tokens[member.pk]))
    anonymous = Client()
    assert anonymous.post(_url(tokens[member.pk]), {"choice": Choice.SATISFIED}).status_code == 404
    assert anonymous.post(new_link, {"choice": Choice.SATISFIED}).status_code == 200
    assert SatisfactionVote.objects.get(pk=vote.pk).count(Choice.SATISFIED) == 1
    assert Event.objects.for_object(vote).filter(verb="ballot_link_resent", actor=staff_clerk).count() == 1


def test_no_new_link_for_a_member_who_has_voted(open_vote, member, staff_clerk):
    vote, tokens = open_vote
    services.ballot_cast_by_token(token=tokens[member.pk], choice=Choice.SATISFIED)
    digest = MemberBallot.objects.get(vote=vote, member=member).token_digest

    with pytest.raises(services.BallotUsed):
        services.ballot_link_resend(actor=staff_clerk, vote=vote, member_id=member.pk)
    assert MemberBallot.objects.get(vote=vote, member=member).token_digest == digest


def test_a_deputy_and_a_member_cannot_see_the_roll_or_resend(client, login, open_vote, member, deputy_user):
    vote, _tokens = open_vote
    for user in (member, deputy_user):
        login(client, user)
        assert client.get(reverse("console:supervision:vote_roll", args=[vote.pk])).status_code in (403, 404)
        response = client.post(reverse("console:supervision:ballot_link_resend", args=[vote.pk, member.pk]))
        assert response.status_code in (403, 404)
    assert Notification.objects.filter(recipient=member, kind="supervision.vote_link").count() == 1


def test_the_ballot_page_is_rate_limited_per_address(client, open_vote, member, settings):
    _vote, tokens = open_vote
    settings.RATELIMITS = {"supervision.ballot": "2/h"}
    statuses = [client.get(_url(tokens[member.pk])).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_digest_of_the_links_random_part_is_what_is_stored(open_vote, member):
    vote, tokens = open_vote
    raw = tokens[member.pk].split(":")[0]
    assert MemberBallot.objects.get(vote=vote, member=member).token_digest == token_digest(raw)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL")
def test_two_submissions_of_one_phone_link_at_once_make_one_ballot(open_vote, member):
    vote, tokens = open_vote

    statuses = at_once(*[lambda: Client().post(_url(tokens[member.pk]), {"choice": Choice.SATISFIED}).status_code] * 2)

    assert sorted(statuses) == [200, 409]
    vote.refresh_from_db()
    assert vote.votes_cast == 1
