"""Satisfaction votes (满意度测评): open, cast by single-use ballot, enter paper tallies, close.

Members vote from the single-use phone link each is sent when the vote opens
(`supervision.services.ballot_links`) or from the portal. A ballot is used by a conditional update
(`used_at IS NULL`) and the choice is counted by another (`state = open`) in the same transaction:
of two submissions of one link exactly one counts, and a ballot racing the close either counts
before it or is refused. Which member chose what is never stored: the ballot row says that a
member voted, the vote row only counts choices.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.notifications.services import notify
from congress.workflow import WorkflowError, record_event, transition
from deputies.models import Deputy
from supervision import permissions
from supervision.models import (
    Choice,
    DeliberationOpinion,
    MemberBallot,
    SatisfactionVote,
    Topic,
    WorkEvaluation,
)
from supervision.services import ballot_links
from supervision.services.common import (
    forbid_unless,
    leader_ids,
    member_ids,
    new_token,
    staff_ids,
    today,
    token_digest,
    unit_officer_ids,
)
from supervision.services.opinions import _notify_units, _set_due_dates

Subject = SatisfactionVote.Subject
OpinionState = DeliberationOpinion.State
Phase = WorkEvaluation.Phase
# A second failed vote on the same subject goes to the chairpersons' meeting (DESIGN §5).
ESCALATE_AFTER_FAILURES = 2


class BallotUsed(WorkflowError):
    code = "ballot_used"
    default_message = _("This ballot has already been used.")


class VoteClosed(WorkflowError):
    code = "vote_closed"
    default_message = _("This vote is closed.")


class NotEligible(WorkflowError):
    code = "not_eligible"
    status = 403
    default_message = _("You are not on the roll of this vote.")


@transaction.atomic
def vote_open(
    *, actor, topic: Topic, subject: str, opinion: DeliberationOpinion | None = None,
    evaluation: WorkEvaluation | None = None, dimension: str = "", pass_base: str = SatisfactionVote.Base.ALL_MEMBERS,
    pass_numerator: int = 1, pass_denominator: int = 2, members_total: int | None = None,
) -> tuple[SatisfactionVote, dict[int, str]]:
    """Open a vote and issue one single-use ballot per standing-committee member.

    Returns the vote and the members' phone-link tokens (member id → token), which the caller
    sends; only their digests are stored. The number of members is frozen on the vote, because
    the pass rule counts against all members, not those present: by default the serving deputies
    who sit on the standing committee, or the member accounts when more of those exist. Members
    without an account vote on paper (`vote_enter_tally`).
    """
    forbid_unless(permissions.can_work_topic(actor, topic))
    body = topic.plan.body
    if subject == Subject.IMPLEMENTATION:
        if opinion is None or opinion.topic_id != topic.pk:
            raise ValidationError(_("Choose the opinion whose implementation is voted on."))
        opinion = transition(opinion, to=OpinionState.VOTING, actor=actor, verb="vote_opened",
                             expected=OpinionState.REPORTED, data={"round": opinion.round})
        round_number = opinion.round
        dimension = ""
    elif subject == Subject.EVALUATION:
        if evaluation is None or evaluation.topic_id != topic.pk:
            raise ValidationError(_("Choose the evaluation appraised."))
        evaluation = WorkEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.phase != Phase.APPRAISE:
            raise ValidationError(_("Appraisal votes are held in the appraisal phase."), code="wrong_phase")
        if dimension and dimension not in evaluation.dimensions:
            raise ValidationError({"dimension": _("Unknown dimension.")})
        round_number = evaluation.round
    elif subject == Subject.WORK_REPORT:
        round_number = SatisfactionVote.objects.filter(topic=topic, subject=subject).count() + 1
        dimension = ""
    else:
        raise ValidationError({"subject": _("Choose what is voted on.")})
    members = member_ids(body)
    composition = Deputy.objects.filter(
        body=body, status=Deputy.Status.SERVING, is_standing_committee_member=True
    ).count()
    members_total = members_total or max(composition, len(members))
    if not members_total:
        raise ValidationError(_("The standing committee has no members on record."))
    vote = SatisfactionVote.objects.create(
        topic=topic, subject=subject, opinion=opinion, evaluation=evaluation, round=round_number, dimension=dimension,
        opened_at=timezone.now(), members_total=members_total, pass_base=pass_base, pass_numerator=pass_numerator,
        pass_denominator=pass_denominator,
    )
    issued = {member_id: new_token() for member_id in members}
    MemberBallot.objects.bulk_create(
        MemberBallot(vote=vote, member_id=member_id, token_digest=digest)
        for member_id, (_raw, digest) in issued.items()
    )
    record_event(vote, actor=actor, verb="opened", to_state=vote.state,
                 data={"members_total": vote.members_total, "round": round_number, "dimension": dimension})
    record_event(topic, actor=actor, verb="vote_opened", data={"vote": vote.pk, "round": round_number})
    if dimension:
        # An appraisal's dimension votes are cast together on the evaluation's page.
        return vote, {member_id: ballot_links.sign(raw) for member_id, (raw, _digest) in issued.items()}
    return vote, ballot_links.send_links(vote, issued)


def _check_choice(choice: str) -> None:
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Choose satisfied, basically satisfied or unsatisfied.")})


@transaction.atomic
def _use_ballot(ballot_id: int, vote_id: int, choice: str) -> None:
    if not MemberBallot.objects.filter(pk=ballot_id, used_at__isnull=True).update(used_at=timezone.now()):
        raise BallotUsed()
    field = f"online_{choice}"
    if not SatisfactionVote.objects.filter(pk=vote_id, state=SatisfactionVote.State.OPEN).update(
        **{field: F(field) + 1}, updated_at=timezone.now()
    ):
        raise VoteClosed()  # rolls the ballot's use back with it


def ballot_cast(*, actor, vote: SatisfactionVote, choice: str) -> None:
    """A member votes from the console or portal while logged in."""
    _check_choice(choice)
    forbid_unless(permissions.can_vote(actor, vote))
    ballot_id = MemberBallot.objects.filter(vote=vote, member=actor).values_list("pk", flat=True).first()
    if ballot_id is None:
        raise NotEligible()
    _use_ballot(ballot_id, vote.pk, choice)


def ballot_by_token(token: str) -> MemberBallot:
    """The ballot a phone link opens, with its vote and topic; `BallotLinkExpired` for an old link,
    `NotEligible` for a forged or replaced one."""
    try:
        raw = ballot_links.unsign(token)
    except ballot_links.BallotLinkInvalid:
        raise NotEligible() from None
    ballot = (
        MemberBallot.objects.select_related("vote__topic", "vote__opinion", "vote__evaluation")
        .filter(token_digest=token_digest(raw)).first()
    )
    if ballot is None:
        raise NotEligible()
    return ballot


def ballot_cast_by_token(*, token: str, choice: str) -> SatisfactionVote:
    """A member votes from the single-use link sent to their phone."""
    _check_choice(choice)
    ballot = ballot_by_token(token)
    _use_ballot(ballot.pk, ballot.vote_id, choice)
    return SatisfactionVote.objects.get(pk=ballot.vote_id)


@transaction.atomic
def ballot_link_resend(*, actor, vote: SatisfactionVote, member_id: int) -> str:
    """Send a member a new link to their unused ballot; the old link stops working.

    The digest is replaced by a conditional update (`used_at IS NULL`), so no link is issued for
    a ballot already cast. Returns the new link token.
    """
    forbid_unless(permissions.can_work_topic(actor, vote.topic))
    if vote.state != SatisfactionVote.State.OPEN:
        raise VoteClosed()
    raw, digest = new_token()
    if not MemberBallot.objects.filter(vote=vote, member_id=member_id, used_at__isnull=True).update(
        token_digest=digest
    ):
        raise BallotUsed(_("This member has already voted, or is not on the roll of this vote."))
    record_event(vote, actor=actor, verb="ballot_link_resent", data={"member": member_id})
    return ballot_links.send_links(vote, {member_id: (raw, digest)})[member_id]


@transaction.atomic
def vote_enter_tally(*, actor, vote: SatisfactionVote, satisfied: int, basically: int, unsatisfied: int):
    """Enter the counts of paper ballots (members without a phone vote on paper)."""
    forbid_unless(permissions.can_work_topic(actor, vote.topic))
    locked = SatisfactionVote.objects.select_for_update().get(pk=vote.pk)
    if locked.state != SatisfactionVote.State.OPEN:
        raise VoteClosed()
    counts = {"satisfied": satisfied, "basically": basically, "unsatisfied": unsatisfied}
    if any(value < 0 for value in counts.values()):
        raise ValidationError(_("Counts cannot be negative."))
    online = sum(getattr(locked, f"online_{choice}") for choice in Choice.values)
    if online + sum(counts.values()) > locked.members_total:
        raise ValidationError(_("More ballots than members of the standing committee."), code="too_many_ballots")
    for choice, value in counts.items():
        setattr(locked, f"paper_{choice}", value)
    locked.save(update_fields=[f"paper_{choice}" for choice in counts] + ["updated_at"])
    record_event(locked, actor=actor, verb="tally_entered", data=counts)
    return locked


@transaction.atomic
def vote_close(*, actor, vote: SatisfactionVote) -> SatisfactionVote:
    """Close the vote and apply its result: a passed implementation vote closes the loop; a failed
    one opens the next round of rectification, and the second failure escalates."""
    forbid_unless(permissions.can_work_topic(actor, vote.topic))
    locked = SatisfactionVote.objects.select_for_update().get(pk=vote.pk)
    passed = locked.outcome()
    counts = {choice: locked.count(choice) for choice in Choice.values}
    vote = transition(
        locked, to=SatisfactionVote.State.CLOSED, actor=actor, verb="closed", expected=SatisfactionVote.State.OPEN,
        changes={"passed": passed, "closed_at": timezone.now()},
        data={**counts, "members_total": locked.members_total, "passed": passed, "round": locked.round},
    )
    record_event(vote.topic, actor=actor, verb="vote_closed",
                 data={"vote": vote.pk, "round": vote.round, "passed": passed, "dimension": vote.dimension})
    if vote.opinion_id and not vote.dimension:
        _after_opinion_vote(actor, vote.opinion, passed)
    elif vote.evaluation_id and not vote.dimension:
        _after_evaluation_vote(actor, vote.evaluation, passed)
    return vote


def vote_publish(*, actor, vote: SatisfactionVote) -> SatisfactionVote:
    forbid_unless(permissions.can_work_topic(actor, vote.topic))
    if vote.state != SatisfactionVote.State.CLOSED:
        raise ValidationError(_("Only a closed vote’s result can be published."))
    SatisfactionVote.objects.filter(pk=vote.pk).update(is_published=True, updated_at=timezone.now())
    vote.is_published = True
    record_event(vote, actor=actor, verb="published", data={"round": vote.round})
    return vote


def _escalate(actor, subject, body, *, round_number: int, title: str) -> None:
    record_event(subject, actor=actor, verb="escalated", data={"round": round_number})
    notify(
        recipients=leader_ids(body) + staff_ids(body), kind="supervision.escalated", title=title, urgent=True,
        dedupe_key=f"escalated:{subject._meta.label_lower}:{subject.pk}:{round_number}",
    )


def _after_opinion_vote(actor, opinion: DeliberationOpinion, passed: bool) -> None:
    opinion = DeliberationOpinion.objects.select_for_update().select_related("topic__plan__body").get(pk=opinion.pk)
    if passed:
        transition(opinion, to=OpinionState.PASSED, actor=actor, verb="passed", data={"round": opinion.round})
        _notify_units(opinion, title=_("The implementation of “%(title)s” was rated satisfactory")
                      % {"title": opinion.title}, key=f"opinion-passed:{opinion.pk}")
        return
    failures, next_round = opinion.failures + 1, opinion.round + 1
    escalate = failures >= ESCALATE_AFTER_FAILURES
    changes = {"failures": failures, "round": next_round}
    if escalate and opinion.escalated_at is None:
        changes["escalated_at"] = timezone.now()
    # The timeline names the round that failed, as the vote's own events and an evaluation's do.
    opinion = transition(opinion, to=OpinionState.RECTIFYING, actor=actor, verb="failed", changes=changes,
                         data={"round": opinion.round, "next_round": next_round, "failures": failures})
    due = _set_due_dates(opinion, today())
    _notify_units(
        opinion,
        title=_("The implementation of “%(title)s” was not rated satisfactory: rectify and report again by %(due)s")
        % {"title": opinion.title, "due": due},
        key=f"opinion-failed:{opinion.pk}:{failures}",
    )
    if escalate:
        _escalate(actor, opinion, opinion.topic.plan.body, round_number=next_round,
                  title=_("Failed %(failures)s satisfaction votes: “%(title)s” goes to the chairpersons’ meeting")
                  % {"failures": failures, "title": opinion.title})


def _after_evaluation_vote(actor, evaluation: WorkEvaluation, passed: bool) -> None:
    evaluation = WorkEvaluation.objects.select_for_update().select_related("topic__plan__body").get(pk=evaluation.pk)
    if passed:
        transition(evaluation, to=Phase.PUBLISHED, actor=actor, verb="passed", data={"round": evaluation.round})
        return
    failed_round = evaluation.round
    transition(evaluation, to=Phase.RECTIFY, actor=actor, verb="failed", changes={"round": failed_round + 1},
               data={"round": failed_round})
    recipients = unit_officer_ids([evaluation.unit_id])
    if recipients:
        notify(recipients=recipients, kind="supervision.evaluation_failed",
               title=_("The appraisal of your unit was not passed: draw up a rectification plan"),
               dedupe_key=f"evaluation-failed:{evaluation.pk}:{failed_round}")
    if failed_round >= ESCALATE_AFTER_FAILURES:
        _escalate(actor, evaluation, evaluation.topic.plan.body, round_number=failed_round + 1,
                  title=_("%(evaluation)s failed its appraisal again") % {"evaluation": evaluation})
