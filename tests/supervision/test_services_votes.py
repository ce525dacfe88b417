"""Satisfaction votes: the pass rule on all members, secret single-use ballots, failed votes opening
the next round of rectification, and the escalation of a second failure."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from congress.models import Event, Notification
from supervision import services
from supervision.models import (
    Choice,
    DeliberationOpinion,
    ImplementationReport,
    MemberBallot,
    OpinionUnit,
    RectificationItem,
    SatisfactionVote,
)
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db

Subject = SatisfactionVote.Subject
OpinionState = DeliberationOpinion.State


def _open(opinion, staff_clerk):
    return services.vote_open(actor=staff_clerk, topic=opinion.topic, subject=Subject.IMPLEMENTATION,
                              opinion=opinion)


def _cast(tokens, members, choices):
    for member, choice in zip(members, choices, strict=False):
        services.ballot_cast_by_token(token=tokens[member.pk], choice=choice)


def test_sending_sets_the_implementation_report_due_three_months_on_with_its_basis(sent_opinion):
    recipient = OpinionUnit.objects.get(opinion=sent_opinion)
    assert str(recipient.due_on) == "2027-10-01"
    assert recipient.due_basis["rule"] == "implementation_report_months" and recipient.due_basis["round"] == 1


def test_pass_rule_counts_all_members_not_those_present(reported_opinion, staff_clerk, committee_members):
    vote, tokens = _open(reported_opinion, staff_clerk)
    assert vote.members_total == 5
    # Three of five vote: two satisfied is a majority of those present but not of all members.
    _cast(tokens, committee_members[:3], [Choice.SATISFIED, Choice.SATISFIED, Choice.UNSATISFIED])

    closed = services.vote_close(actor=staff_clerk, vote=vote)

    assert closed.passed is False
    assert closed.count(Choice.SATISFIED) == 2 and closed.votes_cast == 3


def test_three_satisfied_of_five_members_pass(reported_opinion, staff_clerk, committee_members):
    vote, tokens = _open(reported_opinion, staff_clerk)
    _cast(tokens, committee_members[:3], [Choice.SATISFIED] * 3)

    assert services.vote_close(actor=staff_clerk, vote=vote).passed is True
    reported_opinion.refresh_from_db()
    assert reported_opinion.state == OpinionState.PASSED and reported_opinion.round == 1


def test_paper_tallies_count_with_the_phone_ballots(reported_opinion, staff_clerk, committee_members):
    vote, tokens = _open(reported_opinion, staff_clerk)
    _cast(tokens, committee_members[:2], [Choice.SATISFIED, Choice.BASICALLY])
    with pytest.raises(ValidationError):
        services.vote_enter_tally(actor=staff_clerk, vote=vote, satisfied=3, basically=1, unsatisfied=0)
    services.vote_enter_tally(actor=staff_clerk, vote=vote, satisfied=2, basically=0, unsatisfied=1)

    assert services.vote_close(actor=staff_clerk, vote=vote).passed is True


def test_a_ballot_link_works_once(reported_opinion, staff_clerk, committee_members, member):
    vote, tokens = _open(reported_opinion, staff_clerk)
    services.ballot_cast_by_token(token=tokens[member.pk], choice=Choice.SATISFIED)

    with pytest.raises(services.BallotUsed):
        services.ballot_cast_by_token(token=tokens[member.pk], choice=Choice.UNSATISFIED)
    with pytest.raises(services.BallotUsed):
        services.ballot_cast(actor=member, vote=vote, choice=Choice.UNSATISFIED)
    vote.refresh_from_db()
    assert vote.votes_cast == 1 and vote.count(Choice.SATISFIED) == 1


def test_only_members_on_the_roll_vote(reported_opinion, staff_clerk, committee_members, deputy_user):
    vote, _tokens = _open(reported_opinion, staff_clerk)
    from congress.workflow import TransitionForbidden

    with pytest.raises((TransitionForbidden, services.NotEligible)):
        services.ballot_cast(actor=deputy_user, vote=vote, choice=Choice.SATISFIED)
    with pytest.raises(services.NotEligible):
        services.ballot_cast_by_token(token="forged", choice=Choice.SATISFIED)


def test_a_ballot_after_the_close_is_refused_and_not_spent(reported_opinion, staff_clerk, committee_members, member):
    vote, tokens = _open(reported_opinion, staff_clerk)
    services.vote_close(actor=staff_clerk, vote=vote)

    with pytest.raises(services.VoteClosed):
        services.ballot_cast_by_token(token=tokens[member.pk], choice=Choice.SATISFIED)
    assert MemberBallot.objects.get(vote=vote, member=member).used_at is None


def test_the_ballot_is_secret_no_row_links_a_member_to_a_choice(reported_opinion, staff_clerk, committee_members,
                                                                member):
    vote, tokens = _open(reported_opinion, staff_clerk)
    services.ballot_cast_by_token(token=tokens[member.pk], choice=Choice.UNSATISFIED)

    ballot_fields = {field.name for field in MemberBallot._meta.get_fields()}
    assert not ballot_fields & {"choice", "vote_choice", "value"}
    assert not Event.objects.for_object(vote).filter(actor=member).exists()
    assert all(token not in MemberBallot.objects.values_list("token_digest", flat=True) for token in tokens.values())


def test_failed_vote_opens_the_next_round_and_the_second_failure_escalates(
    reported_opinion, staff_clerk, committee_members, unit_officer, health_bureau, leader
):
    vote, _tokens = _open(reported_opinion, staff_clerk)
    services.vote_close(actor=staff_clerk, vote=vote)  # nobody satisfied: fails

    opinion = DeliberationOpinion.objects.get(pk=reported_opinion.pk)
    assert (opinion.state, opinion.round, opinion.failures) == (OpinionState.RECTIFYING, 2, 1)
    assert opinion.escalated_at is None
    assert OpinionUnit.objects.get(opinion=opinion).due_basis["round"] == 2
    item = services.rectification_item_add(actor=unit_officer, opinion=opinion, item="补齐村医缺口",
                                           owner_unit=health_bureau, due_on=opinion.sent_on)
    assert item.round == 2
    services.rectification_item_update(actor=unit_officer, item=item, status=RectificationItem.Status.DONE)

    services.implementation_report_submit(actor=unit_officer, opinion=opinion, unit=health_bureau, text="第二轮整改")
    second, _tokens = _open(DeliberationOpinion.objects.get(pk=opinion.pk), staff_clerk)
    assert second.round == 2
    services.vote_close(actor=staff_clerk, vote=second)

    opinion.refresh_from_db()
    assert (opinion.state, opinion.round, opinion.failures) == (OpinionState.RECTIFYING, 3, 2)
    assert opinion.escalated_at is not None
    assert Notification.objects.filter(recipient=leader, kind="supervision.escalated", is_urgent=True).count() == 1
    assert Event.objects.for_object(opinion).filter(verb="escalated").count() == 1
    assert ImplementationReport.objects.filter(opinion=opinion).count() == 2


def test_the_timeline_names_the_round_that_failed_and_the_round_whose_result_was_published(
    reported_opinion, staff_clerk, committee_members
):
    vote, _tokens = _open(reported_opinion, staff_clerk)
    services.vote_close(actor=staff_clerk, vote=vote)  # nobody satisfied: round 1 fails
    services.vote_publish(actor=staff_clerk, vote=SatisfactionVote.objects.get(pk=vote.pk))

    failed = Event.objects.for_object(reported_opinion).get(verb="failed")
    assert (failed.data["round"], failed.data["next_round"]) == (1, 2)
    assert Event.objects.for_object(vote).get(verb="published").data["round"] == 1


def test_a_unit_reports_once_per_round(sent_opinion, unit_officer, health_bureau):
    services.implementation_report_submit(actor=unit_officer, opinion=sent_opinion, unit=health_bureau, text="已办")

    with pytest.raises(ValidationError):
        services.implementation_report_submit(actor=unit_officer, opinion=sent_opinion, unit=health_bureau,
                                              text="再报")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL")
def test_two_submissions_of_one_ballot_link_at_once_count_once(reported_opinion, staff_clerk, committee_members,
                                                               member):
    vote, tokens = _open(reported_opinion, staff_clerk)

    def cast():
        services.ballot_cast_by_token(token=tokens[member.pk], choice=Choice.SATISFIED)
        return "ok"

    results = ["used" if isinstance(result, services.BallotUsed) else result for result in at_once(cast, cast)]

    assert sorted(results) == ["ok", "used"]
    vote.refresh_from_db()
    assert vote.votes_cast == 1
