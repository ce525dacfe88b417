"""Every read the supervision screens and endpoints need, scoped through `permissions` and preloaded."""

import dataclasses
from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q

from congress.models import Event, Unit
from supervision import permissions
from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    ImplementationReport,
    InquiryQuestion,
    OpinionUnit,
    PlanVersion,
    QuestionnaireAnswer,
    QuestionnaireLink,
    RectificationItem,
    SatisfactionVote,
    SpecialInquiry,
    SupervisionActivity,
    Topic,
    TopicProposal,
    WorkEvaluation,
)
from supervision.services.common import token_digest


def proposal_inbox(user, *, body=None, year=None, state=None):
    """The solicitation inbox: proposals with their proposer and merge target, newest first."""
    queryset = permissions.visible_proposals(user).select_related(
        "body", "proposer_deputy", "proposer_committee", "proposer_user", "merged_into", "adopted_topic", "window"
    ).annotate(merged_count=Count("merged"))
    if body is not None:
        queryset = queryset.filter(body=body)
    if year is not None:
        queryset = queryset.filter(year=year)
    if state:
        queryset = queryset.filter(state=state)
    return queryset


def topic_lineage(topic: Topic) -> list[TopicProposal]:
    """The proposals a topic came from: the adopted ones and every duplicate merged into them."""
    family = list(topic.source_proposals.select_related("proposer_deputy"))
    level = [proposal.pk for proposal in family]
    while level:
        children = list(TopicProposal.objects.filter(merged_into_id__in=level).select_related("proposer_deputy"))
        family += children
        level = [child.pk for child in children]
    return family


def visible_topics(user):
    return permissions.visible_topics(user).select_related(
        "plan__body", "lead_committee", "leader", "meeting"
    ).prefetch_related("supervised_units")


def plan_detail(user, plan_id: int) -> AnnualPlan:
    """A plan with its topics (those the user may see) and its published versions."""
    return (
        AnnualPlan.objects.filter(pk=plan_id, pk__in=visible_topics(user).values("plan_id"))
        .select_related("body", "adopted_at_session")
        .prefetch_related(
            Prefetch("topics", queryset=visible_topics(user).order_by("meeting_date", "pk")),
            Prefetch("versions", queryset=PlanVersion.objects.order_by("-number")),
        )
        .get()
    )


@dataclasses.dataclass(frozen=True)
class PublishedTopic:
    """One topic as a published plan version froze it, with the live topic when the public may
    still open it (a topic cancelled since has none)."""

    id: int
    kind: str
    title: str
    lead_committee: str
    units: list
    meeting_date: str
    topic: Topic | None

    @property
    def milestones_current(self) -> bool:
        """The live milestones follow the frozen meeting date (not one rescheduled since)."""
        return self.topic is not None and str(self.topic.meeting_date or "") == self.meeting_date


def published_plan(plan_id: int) -> tuple[AnnualPlan, list[PlanVersion], list[PublishedTopic]]:
    """What the public sees of a plan: the text of its latest published version, not the live
    topics, so an adjustment stays out of view until it is published again; and every version
    (number, date, reason), newest first. `AnnualPlan.DoesNotExist` for a plan never published."""
    plan = (
        AnnualPlan.objects.filter(pk=plan_id, state__in=permissions.PUBLISHED_PLAN_STATES)
        .select_related("body", "adopted_at_session")
        .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.order_by("-number")))
        .get()
    )
    versions = list(plan.versions.all())
    if not versions:
        raise AnnualPlan.DoesNotExist
    live = {topic.pk: topic for topic in visible_topics(AnonymousUser()).filter(plan=plan)}
    entries = [
        PublishedTopic(
            id=entry["id"], kind=entry["kind"], title=entry["title"], lead_committee=entry["lead_committee"],
            units=entry["units"], meeting_date=entry["meeting_date"], topic=live.get(entry["id"]),
        )
        for entry in versions[0].snapshot
    ]
    return plan, versions, entries


def topic_detail(user, topic_id: int) -> Topic:
    """A topic with everything its page shows, in a bounded number of queries."""
    return (
        visible_topics(user)
        .prefetch_related(
            Prefetch("activities", queryset=SupervisionActivity.objects.select_related("place")
                     .prefetch_related("deputies", "photos")),
            "unit_reports__unit",
            Prefetch("opinions", queryset=DeliberationOpinion.objects.prefetch_related(
                Prefetch("recipients", queryset=OpinionUnit.objects.select_related("unit")),
                Prefetch("reports", queryset=ImplementationReport.objects.select_related("unit")),
                Prefetch("ledger", queryset=RectificationItem.objects.select_related("owner_unit")),
                "follow_up_checks",
            )),
            Prefetch("votes", queryset=SatisfactionVote.objects.order_by("round", "dimension")),
            "inquiries__questions",
        )
        .get(pk=topic_id)
    )


def topic_timeline(topic: Topic):
    """The topic's own events and those of its opinions and votes, in time order (round numbers in data)."""
    from django.contrib.contenttypes.models import ContentType

    parts = Q(content_type=ContentType.objects.get_for_model(Topic), object_id=str(topic.pk))
    opinion_ids = [str(pk) for pk in topic.opinions.values_list("pk", flat=True)]
    vote_ids = [str(pk) for pk in topic.votes.values_list("pk", flat=True)]
    parts |= Q(content_type=ContentType.objects.get_for_model(DeliberationOpinion), object_id__in=opinion_ids)
    parts |= Q(content_type=ContentType.objects.get_for_model(SatisfactionVote), object_id__in=vote_ids)
    return Event.objects.filter(parts).select_related("actor").order_by("created_at", "pk")


def activity_counts(topic: Topic) -> dict:
    rows = SupervisionActivity.objects.filter(topic=topic).values_list("kind", "place__name")
    by_kind, by_town = Counter(), Counter()
    for kind, town in rows:
        by_kind[kind] += 1
        if town:
            by_town[town] += 1
    return {"by_kind": dict(by_kind), "by_town": dict(by_town)}


def ledger(user, *, opinion=None, evaluation=None):
    queryset = permissions.visible_ledger(user).select_related("owner_unit")
    if opinion is not None:
        queryset = queryset.filter(opinion=opinion)
    if evaluation is not None:
        queryset = queryset.filter(evaluation=evaluation)
    return queryset


def vote_results(user, topic: Topic):
    """Closed votes of a topic by round; the public sees published results only."""
    queryset = SatisfactionVote.objects.filter(topic=topic, state=SatisfactionVote.State.CLOSED)
    if not permissions.can_work_topic(user, topic):
        queryset = queryset.filter(is_published=True)
    return queryset.order_by("round", "dimension")


def questionnaire_results(evaluation) -> dict:
    """{audience: {dimension: {choice: count}}} over all answers (one query)."""
    results: dict = {}
    for audience, ratings in QuestionnaireAnswer.objects.filter(evaluation=evaluation).values_list(
        "audience", "ratings"
    ):
        for dimension, choice in ratings.items():
            by_choice = results.setdefault(audience, {}).setdefault(dimension, {})
            by_choice[choice] = by_choice.get(choice, 0) + 1
    return results


def letter_counts_by_theme(user, *, body=None, year=None, since=None) -> list[tuple[str, int]]:
    """Letters and visits by theme, most frequent first (one query): shown to the staff who draft
    the plan and work the solicitation inbox, because the themes people write about feed the topics."""
    queryset = permissions.visible_letters(user)
    if body is not None:
        queryset = queryset.filter(body=body)
    if year is not None:
        queryset = queryset.filter(received_on__year=year)
    if since is not None:
        queryset = queryset.filter(received_on__gte=since)
    return [
        (row["theme"], row["count"])
        for row in queryset.values("theme").annotate(count=Count("pk")).order_by("-count", "theme")
    ]


def letters(user, *, theme="", state="", kind="", unit_id=None, year=None):
    """The letters and visits the user may see (a unit: those routed to it), filtered, newest first."""
    queryset = permissions.visible_letters(user).select_related("body", "unit")
    if theme:
        queryset = queryset.filter(theme=theme)
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if unit_id is not None:
        queryset = queryset.filter(unit_id=unit_id)
    if year is not None:
        queryset = queryset.filter(received_on__year=year)
    return queryset.order_by("-received_on", "-pk")


def letter_filter_choices(user) -> dict:
    """The themes, units and years a user's letters have, for the list's filters (three queries)."""
    visible = permissions.visible_letters(user)
    return {
        "themes": list(visible.order_by("theme").values_list("theme", flat=True).distinct()),
        "units": list(Unit.objects.filter(pk__in=visible.filter(unit__isnull=False).values("unit_id"))
                      .order_by("name").values_list("pk", "name")),
        "years": sorted({day.year for day in visible.dates("received_on", "year")}, reverse=True),
    }


def _with_questions(queryset):
    return queryset.select_related("topic__plan__body", "meeting").prefetch_related(
        Prefetch("questions", queryset=InquiryQuestion.objects.select_related("asked_by", "asked_by_deputy", "unit")
                 .order_by("pk"))
    )


def inquiries(user, *, year=None, topic_id=None):
    """Special inquiries on the topics the user may read, newest first, with their question counts."""
    queryset = SpecialInquiry.objects.filter(topic__in=permissions.visible_topics(user).values("pk"))
    if year is not None:
        queryset = queryset.filter(topic__plan__year=year)
    if topic_id is not None:
        queryset = queryset.filter(topic_id=topic_id)
    return (queryset.select_related("topic__plan", "meeting").annotate(question_count=Count("questions"))
            .order_by("-date", "-pk"))


def inquiry_detail(user, pk: int) -> SpecialInquiry | None:
    return _with_questions(SpecialInquiry.objects.filter(
        pk=pk, topic__in=permissions.visible_topics(user).values("pk")
    )).first()


def topic_inquiries(topic: Topic, *, published_only: bool = False) -> list[SpecialInquiry]:
    """A topic's inquiries with their questions (the public sees the published ones only)."""
    queryset = SpecialInquiry.objects.filter(topic=topic)
    if published_only:
        queryset = queryset.filter(published_at__isnull=False)
    return list(_with_questions(queryset).order_by("date", "pk"))


# ---- special work evaluations ------------------------------------------------------------------


def evaluations(user, *, year=None, phase=""):
    """The evaluations the user may see (a unit officer: their own unit's), newest year first."""
    queryset = permissions.visible_evaluations(user).select_related("topic__plan", "unit")
    if year is not None:
        queryset = queryset.filter(year=year)
    if phase:
        queryset = queryset.filter(phase=phase)
    return queryset.order_by("-year", "unit__name", "pk")


def evaluation_detail(user, pk: int) -> WorkEvaluation | None:
    return (
        permissions.visible_evaluations(user).filter(pk=pk)
        .select_related("topic__plan__body", "topic__lead_committee", "unit")
        .prefetch_related("group_members", "group_deputies")
        .first()
    )


def questionnaire_counts(evaluation) -> dict:
    """{audience: {"issued": n, "answered": n}} for the evaluation's links (one query)."""
    rows = QuestionnaireLink.objects.filter(evaluation=evaluation).values("audience").annotate(
        issued=Count("pk"), answered=Count("pk", filter=Q(used_at__isnull=False))
    )
    return {row["audience"]: {"issued": row["issued"], "answered": row["answered"]} for row in rows}


def questionnaire_link(token: str):
    """The link a questionnaire page was opened with, with its evaluation, or None."""
    return (QuestionnaireLink.objects.select_related("evaluation__unit", "evaluation__topic")
            .filter(token_digest=token_digest(token or "")).first())


def appraisal_rounds(evaluation) -> list[tuple[int, list]]:
    """The evaluation's appraisal votes by round, the overall vote first, then each dimension."""
    rounds: dict[int, list] = {}
    for vote in SatisfactionVote.objects.filter(evaluation=evaluation).order_by("round", "dimension", "pk"):
        rounds.setdefault(vote.round, []).append(vote)
    return sorted(rounds.items())


def published_evaluation(topic: Topic) -> WorkEvaluation | None:
    """The topic's evaluation once its result is published, for the public pages."""
    return (WorkEvaluation.objects.filter(topic=topic, phase=WorkEvaluation.Phase.PUBLISHED).exclude(result="")
            .select_related("unit").first())
