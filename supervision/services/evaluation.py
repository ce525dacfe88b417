"""Special work evaluations (专项工作评议): group, phases, questionnaires, appraisal votes.

Questionnaire links are single-use: the link is spent by a conditional update before the answer
is written, in one transaction, so two submissions of one link store one answer. The answer does
not point to its link, so a deputy's answer cannot be traced back to them.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Unit
from congress.notifications.services import notify
from congress.workflow import WorkflowError, record_event, transition
from deputies.models import Deputy
from supervision import permissions
from supervision.models import (
    DEFAULT_DIMENSIONS,
    Choice,
    QuestionnaireAnswer,
    QuestionnaireLink,
    SatisfactionVote,
    Topic,
    TopicKind,
    WorkEvaluation,
)
from supervision.services.common import forbid_unless, new_token, token_digest
from supervision.services.votes import vote_close, vote_open

Phase = WorkEvaluation.Phase
Audience = QuestionnaireLink.Audience


class LinkUsed(WorkflowError):
    code = "link_used"
    default_message = _("This questionnaire link has already been used.")


class QuestionnaireClosed(WorkflowError):
    code = "questionnaire_closed"
    default_message = _("The questionnaire is closed.")


@transaction.atomic
def evaluation_create(
    *, actor, topic: Topic, unit: Unit, year: int, members: Iterable = (), deputies: Iterable[Deputy] = (),
    dimensions: Iterable[str] | None = None,
) -> WorkEvaluation:
    forbid_unless(permissions.can_work_topic(actor, topic))
    if topic.kind != TopicKind.WORK_EVALUATION:
        raise ValidationError(_("Only a special work evaluation topic carries an evaluation."))
    dimensions = list(dimensions or DEFAULT_DIMENSIONS)
    evaluation = WorkEvaluation.objects.create(topic=topic, unit=unit, year=year, dimensions=dimensions)
    evaluation.group_members.set(list(members))
    evaluation.group_deputies.set(list(deputies))
    topic.supervised_units.add(unit)
    record_event(evaluation, actor=actor, verb="created", to_state=evaluation.phase)
    return evaluation


def evaluation_advance(*, actor, evaluation: WorkEvaluation, to: str, note: str = "") -> WorkEvaluation:
    """Move to the next phase: mobilise → investigate → appraise; after rectification back to the
    appraisal for the second vote. Results of votes move the phase themselves (see `votes`)."""
    forbid_unless(permissions.can_work_evaluation(actor, evaluation))
    if to == Phase.PUBLISHED or (evaluation.phase == Phase.APPRAISE and to == Phase.RECTIFY):
        raise ValidationError(_("The appraisal vote decides this step."), code="decided_by_vote")
    if to == Phase.APPRAISE and evaluation.phase == Phase.RECTIFY and not evaluation.rectification_plan.strip():
        raise ValidationError(_("Record the rectification plan before the second vote."))
    return transition(evaluation, to=to, actor=actor, verb=f"phase_{to}", note=note)


@transaction.atomic
def evaluation_set_rectification_plan(*, actor, evaluation: WorkEvaluation, text: str) -> WorkEvaluation:
    forbid_unless(
        permissions.can_work_evaluation(actor, evaluation) or permissions.can_report_for_unit(actor, evaluation.unit_id)
    )
    if evaluation.phase != Phase.RECTIFY:
        raise ValidationError(_("The rectification plan is written in the rectification phase."))
    WorkEvaluation.objects.filter(pk=evaluation.pk).update(rectification_plan=text, updated_at=timezone.now())
    evaluation.refresh_from_db()
    record_event(evaluation, actor=actor, verb="rectification_plan_recorded")
    return evaluation


@transaction.atomic
def appraisal_open(*, actor, evaluation: WorkEvaluation) -> tuple[list[SatisfactionVote], dict[int, list[str]]]:
    """Open the plenary appraisal: one vote per dimension and the overall vote, which decides."""
    votes, tokens = [], defaultdict(list)
    for dimension in [*evaluation.dimensions, ""]:
        vote, issued = vote_open(actor=actor, topic=evaluation.topic, subject=SatisfactionVote.Subject.EVALUATION,
                                 evaluation=evaluation, dimension=dimension)
        votes.append(vote)
        for member_id, token in issued.items():
            tokens[member_id].append(token)
    return votes, dict(tokens)


@transaction.atomic
def appraisal_close(*, actor, evaluation: WorkEvaluation) -> SatisfactionVote:
    """Close the round's dimension votes, then the overall one (which moves the phase)."""
    open_votes = list(evaluation.votes.filter(round=evaluation.round, state=SatisfactionVote.State.OPEN)
                      .order_by("-dimension"))
    overall = None
    for vote in open_votes:
        closed = vote_close(actor=actor, vote=vote)
        if not vote.dimension:
            overall = closed
    if overall is None:
        raise ValidationError(_("No appraisal vote is open."))
    return overall


@transaction.atomic
def evaluation_publish_result(*, actor, evaluation: WorkEvaluation, text: str) -> WorkEvaluation:
    forbid_unless(permissions.can_work_evaluation(actor, evaluation))
    if evaluation.phase != Phase.PUBLISHED:
        raise ValidationError(_("The result is published after a passed appraisal."))
    WorkEvaluation.objects.filter(pk=evaluation.pk).update(result=text, updated_at=timezone.now())
    evaluation.refresh_from_db()
    record_event(evaluation, actor=actor, verb="result_published")
    return evaluation


# ---- questionnaires ------------------------------------------------------------------------


@transaction.atomic
def questionnaire_issue(
    *, actor, evaluation: WorkEvaluation, audience: str, deputies: Iterable[Deputy] = (), count: int = 0
) -> list[str]:
    """Issue single-use links: one per deputy named, or `count` anonymous links for citizens.
    Returns the tokens to send; only their digests are kept."""
    forbid_unless(permissions.can_work_evaluation(actor, evaluation))
    if evaluation.phase not in (Phase.MOBILISE, Phase.INVESTIGATE):
        raise ValidationError(_("Questionnaires go out before the appraisal."))
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose deputies or citizens.")})
    owners = list(deputies) if audience == Audience.DEPUTY else [None] * max(count, 0)
    tokens, links = [], []
    for deputy in owners:
        token, digest = new_token()
        tokens.append(token)
        links.append(QuestionnaireLink(evaluation=evaluation, audience=audience, deputy=deputy, token_digest=digest))
    QuestionnaireLink.objects.bulk_create(links)
    record_event(evaluation, actor=actor, verb="questionnaires_issued", data={"audience": audience,
                                                                             "count": len(links)})
    return tokens


@transaction.atomic
def questionnaire_answer(*, token: str, ratings: dict, comment: str = "") -> QuestionnaireAnswer:
    link = QuestionnaireLink.objects.select_related("evaluation").filter(token_digest=token_digest(token or "")).first()
    if link is None:
        raise LinkUsed()
    evaluation = link.evaluation
    unknown = set(ratings) - set(evaluation.dimensions)
    if unknown or any(value not in Choice.values for value in ratings.values()) or not ratings:
        raise ValidationError({"ratings": _("Rate each dimension as satisfied, basically satisfied or unsatisfied.")})
    if not QuestionnaireLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise LinkUsed()
    # The phase is read under the same transaction as the claim; a closed questionnaire rolls
    # the claim back, so the link is not spent.
    if not WorkEvaluation.objects.filter(pk=evaluation.pk, phase__in=(Phase.MOBILISE, Phase.INVESTIGATE)).exists():
        raise QuestionnaireClosed()
    return QuestionnaireAnswer.objects.create(
        evaluation=evaluation, audience=link.audience, ratings=dict(ratings), comment=(comment or "")[:2000]
    )


def questionnaire_url(token: str) -> str:
    return reverse("public:supervision:questionnaire", args=[token])


@transaction.atomic
def questionnaire_invite_deputies(*, actor, evaluation: WorkEvaluation, deputies: Iterable[Deputy]) -> dict[int, str]:
    """Issue one single-use link to each deputy who has none yet for this evaluation and send it to
    their inbox. Deputies already invited are skipped, so a repeated click invites nobody twice.
    Returns {deputy id: token} for those without an account, whose links the office hands out."""
    forbid_unless(permissions.can_work_evaluation(actor, evaluation))
    already = set(QuestionnaireLink.objects.filter(evaluation=evaluation, audience=Audience.DEPUTY)
                  .values_list("deputy_id", flat=True))
    fresh = [deputy for deputy in deputies if deputy.pk not in already]
    if not fresh:
        raise ValidationError(_("Every deputy chosen already has a questionnaire link."), code="already_invited")
    tokens = questionnaire_issue(actor=actor, evaluation=evaluation, audience=Audience.DEPUTY, deputies=fresh)
    unsent = {}
    for deputy, token in zip(fresh, tokens, strict=True):
        if deputy.user_id:
            _send_link(evaluation, deputy.user_id, token)
        else:
            unsent[deputy.pk] = token
    return unsent


def _send_link(evaluation: WorkEvaluation, user_id: int, token: str) -> None:
    notify(recipients=[user_id], kind="supervision.questionnaire",
           title=_("Questionnaire: the special work evaluation of %(unit)s") % {"unit": evaluation.unit},
           url=questionnaire_url(token), dedupe_key=f"questionnaire:{token_digest(token)}")


@transaction.atomic
def questionnaire_resend(*, actor, link: QuestionnaireLink) -> str:
    """Replace an unused link's token (the old link stops working) and send the new one to the
    deputy again; a used link cannot be renewed. Returns the new token."""
    evaluation = link.evaluation
    forbid_unless(permissions.can_work_evaluation(actor, evaluation))
    if evaluation.phase not in (Phase.MOBILISE, Phase.INVESTIGATE):
        raise QuestionnaireClosed()
    token, digest = new_token()
    if not QuestionnaireLink.objects.filter(pk=link.pk, used_at__isnull=True).update(token_digest=digest):
        raise LinkUsed()
    record_event(evaluation, actor=actor, verb="questionnaire_resent", data={"audience": link.audience})
    if link.deputy_id and link.deputy.user_id:
        _send_link(evaluation, link.deputy.user_id, token)
    return token
