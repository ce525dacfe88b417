"""Reads of the roster and the duty record, scoped to the reader and preloaded.

Scores are never stored: `body_scores()` computes a whole congress's yearly scores, bands and
rankings from the verified participations and the current rules in a fixed number of queries,
whatever the number of deputies and activities, so a rule change or a verified report shows at
the next read.
"""

import dataclasses

from django.db.models import Count, F, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Body, BodyRules, Region
from congress.rules import rules_for
from deputies import permissions
from deputies.models import (
    DEFAULT_SCORE_RULES,
    ActivityKind,
    ContactPair,
    Deputy,
    DutyActivity,
    DutyParticipation,
    ScoreRule,
)


class ScoreBand:
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    LABELS = {GOOD: _("Good"), FAIR: _("Fair"), POOR: _("Poor")}


@dataclasses.dataclass(frozen=True)
class Rule:
    points: int
    yearly_cap: int | None


@dataclasses.dataclass(frozen=True)
class KindScore:
    kind: str
    activities: int
    raw_points: int
    points: int

    @property
    def capped(self) -> bool:
        return self.points < self.raw_points

    @property
    def label(self):
        return ActivityKind(self.kind).label


@dataclasses.dataclass
class DeputyScore:
    deputy: Deputy
    year: int
    score: int
    band: str
    by_kind: list[KindScore]
    town: Region | None = None
    rank_in_body: int | None = None
    rank_in_town: int | None = None

    @property
    def band_label(self):
        return ScoreBand.LABELS[self.band]


def score_rules(body: Body) -> dict[str, Rule]:
    """The body's rule per kind: its own rows over the defaults (one query)."""
    rules = {kind: Rule(points, cap) for kind, (points, cap) in DEFAULT_SCORE_RULES.items()}
    for row in ScoreRule.objects.filter(body=body):
        rules[row.kind] = Rule(row.points, row.yearly_cap)
    return rules


def band_for(body: Body, score: int) -> str:
    rules = rules_for(body)
    if score >= rules.score_good_threshold:
        return ScoreBand.GOOD
    if score >= rules.score_fair_threshold:
        return ScoreBand.FAIR
    return ScoreBand.POOR


def _kind_totals(participations, year: int) -> dict[int, dict[str, tuple[int, int, int]]]:
    """Per deputy and kind: (activities, of which at rule points, points of those with an override)."""
    rows = (
        participations.filter(
            attendance=DutyParticipation.Attendance.PRESENT,
            activity__state=DutyActivity.State.VERIFIED,
            activity__date__year=year,
        )
        .values("deputy_id", "activity__kind")
        .annotate(
            activities=Count("pk"),
            at_rule=Count("pk", filter=Q(activity__points_override__isnull=True)),
            overridden=Sum("activity__points_override"),
        )
        .order_by()
    )
    totals: dict[int, dict[str, tuple[int, int, int]]] = {}
    for row in rows:
        totals.setdefault(row["deputy_id"], {})[row["activity__kind"]] = (
            row["activities"], row["at_rule"], row["overridden"] or 0
        )
    return totals


def _score(deputy: Deputy, year: int, kinds: dict, rules: dict[str, Rule], body: Body) -> DeputyScore:
    by_kind = []
    for kind, (activities, at_rule, overridden) in sorted(kinds.items()):
        rule = rules[kind]
        raw = at_rule * rule.points + overridden
        points = raw if rule.yearly_cap is None else min(raw, rule.yearly_cap)
        by_kind.append(KindScore(kind=kind, activities=activities, raw_points=raw, points=points))
    score = sum(item.points for item in by_kind)
    return DeputyScore(deputy=deputy, year=year, score=score, band=band_for(body, score), by_kind=by_kind)


def _town_path(deputy: Deputy) -> str | None:
    """The path of the town or street a deputy was elected in, from the constituency's region."""
    region = None
    if deputy.constituency_id is not None:
        region = deputy.constituency.region
    elif deputy.delegation_id is not None and deputy.delegation.region_id is not None:
        region = deputy.delegation.region
    elif not deputy.body.is_district:
        region = deputy.body.region
    if region is None:
        return None
    parts = [part for part in region.path.split("/") if part]
    if len(parts) < 2:
        return None
    return f"/{parts[0]}/{parts[1]}/"


def _rank(scores: list[DeputyScore], attribute: str) -> None:
    """Competition ranking (1, 1, 3): equal scores share a rank."""
    previous, rank = None, 0
    for position, item in enumerate(scores, start=1):
        if item.score != previous:
            rank, previous = position, item.score
        setattr(item, attribute, rank)


def body_scores(body: Body, year: int, *, deputies=None) -> list[DeputyScore]:
    """Yearly scores of a congress's deputies, best first, ranked in the body and in their town.

    `deputies` defaults to the serving deputies; pass a queryset (already scoped) to rank others.
    Five queries whatever the size: deputies, rules, thresholds, the aggregate and the towns.
    """
    if deputies is None:
        deputies = Deputy.objects.serving()
    deputies = list(
        deputies.filter(body=body).select_related(
            "body__region", "constituency__region", "delegation__region"
        )
    )
    rules = score_rules(body)
    rules_for(body)  # loaded once here and cached on the body for every band_for() below
    totals = _kind_totals(DutyParticipation.objects.filter(deputy__body=body), year)
    scores = [_score(deputy, year, totals.get(deputy.pk, {}), rules, body) for deputy in deputies]
    scores.sort(key=lambda item: (-item.score, item.deputy.name, item.deputy.pk))
    _rank(scores, "rank_in_body")

    town_paths = {item.deputy.pk: _town_path(item.deputy) for item in scores}
    towns = {region.path: region for region in Region.objects.filter(path__in=set(filter(None, town_paths.values())))}
    by_town: dict[str, list[DeputyScore]] = {}
    for item in scores:
        path = town_paths[item.deputy.pk]
        item.town = towns.get(path)
        if path is not None:
            by_town.setdefault(path, []).append(item)
    for members in by_town.values():
        _rank(members, "rank_in_town")
    return scores


def deputy_score(deputy: Deputy, year: int) -> DeputyScore:
    """One deputy's score with its breakdown by kind (no ranking: see body_scores)."""
    body = deputy.body
    totals = _kind_totals(DutyParticipation.objects.filter(deputy=deputy), year)
    return _score(deputy, year, totals.get(deputy.pk, {}), score_rules(body), body)


def activities_held(body: Body, year: int) -> int:
    """The congress's verified duty activities dated in `year` (what the scores are counted from)."""
    return DutyActivity.objects.filter(body=body, state=DutyActivity.State.VERIFIED, date__year=year).count()


# ---- roster and duty record ----------------------------------------------------------------


def deputy_list(user, *, body: Body | None = None, status: str | None = Deputy.Status.SERVING):
    deputies = permissions.visible_deputies(user).with_roster_relations()
    if body is not None:
        deputies = deputies.filter(body=body)
    if status:
        deputies = deputies.filter(status=status)
    return deputies


def deputy_get(user, pk: int) -> Deputy:
    """A visible deputy or DoesNotExist (404), so another scope's deputy looks absent."""
    return permissions.visible_deputies(user).with_roster_relations().select_related("user", "linked_mandate").get(
        pk=pk
    )


def duty_record(deputy: Deputy, year: int | None = None):
    """The deputy's participations, newest first, each with its activity (one query)."""
    participations = DutyParticipation.objects.filter(deputy=deputy).select_related(
        "activity__theme_year", "activity__session"
    )
    if year is not None:
        participations = participations.filter(activity__date__year=year)
    return participations.order_by("-activity__date", "-activity__pk")


def verification_queue(user, *, body: Body | None = None):
    """Self-reported activities awaiting verification that the user may verify."""
    manageable = permissions.manageable_deputies(user)
    activities = DutyActivity.objects.pending().filter(
        source=DutyActivity.Source.SELF_REPORTED, participations__deputy__in=manageable.values("pk")
    )
    if body is not None:
        activities = activities.filter(body=body)
    return (
        activities.distinct()
        .select_related("body", "reported_by", "theme_year")
        .prefetch_related(Prefetch("participations", queryset=DutyParticipation.objects.select_related("deputy")))
        .order_by("date", "pk")
    )


def current_year() -> int:
    """The calendar year in the platform's time zone (Asia/Shanghai), which scores are kept by."""
    return timezone.localdate().year


def contact_pairs_below_minimum(year: int):
    """双联系 pairs of `year` with fewer logged contacts than their body's yearly minimum
    (`BodyRules.contact_pair_yearly_minimum`, annotated as `minimum`), with both deputies (one query)."""
    default = BodyRules._meta.get_field("contact_pair_yearly_minimum").default
    return (
        ContactPair.objects.filter(
            year=year, member__status=Deputy.Status.SERVING, deputy__status=Deputy.Status.SERVING
        )
        .annotate(
            contacts=Count("logs"),
            # A body whose rules row was never written works to the design default.
            minimum=Coalesce(F("body__rules__contact_pair_yearly_minimum"), Value(default)),
        )
        .filter(contacts__lt=F("minimum"))
        .select_related("member", "deputy")
        .order_by("pk")
    )
