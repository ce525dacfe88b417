"""Handling statistics per unit, per category and per lead deputy, and the units suggested for a
new assignment from past ones.

Every figure is counted over the answering assignments (lead and split units; a reassigned one
is replaced by its successor) of the proposals received in one year, in the user's scope:

- on time: the first-round reply came by the first-round due date (including an approved
  extension); an unreplied item counts against the rate once that date has passed;
- reply classes: the class of each assignment's latest reply;
- satisfaction: the deputy's effective rating (a corrected rating counts as corrected) of the
  first round, and of the latest rated round ("final"), attitude and result separately. Ratings
  staff entered from a paper form are counted apart from those the deputy gave from their own
  account, in every figure (DESIGN §4);
- not rated: evaluation windows that ended without a rating (never counted as satisfied);
- re-handling: the number of re-handling rounds ordered.

The whole computation costs a fixed number of queries whatever the number of items.
"""

import dataclasses
import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import calendar
from congress.models import Body, Unit
from congress.rules import rules_for
from suggestions import permissions
from suggestions.models import Assignment, Extension, Proposal, Rating, Reply, ReplyClass, Satisfaction

SATISFIED = Satisfaction.SATISFIED
BASICALLY = Satisfaction.BASICALLY_SATISFIED
UNSATISFIED = Satisfaction.UNSATISFIED

DIMENSIONS = {
    "unit": gettext_lazy("Unit"),
    "category": gettext_lazy("Category"),
    "deputy": gettext_lazy("Lead deputy"),
}


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclasses.dataclass
class Tally:
    """Ratings of one kind (own account, or paper) in one round: attitude and result apart."""

    attitude: Counter = dataclasses.field(default_factory=Counter)
    result: Counter = dataclasses.field(default_factory=Counter)

    def add(self, attitude: str, result: str) -> None:
        self.attitude[attitude] += 1
        self.result[result] += 1

    @property
    def count(self) -> int:
        return sum(self.result.values())

    def satisfied_rate(self, dimension: str = "result") -> float | None:
        """Share of 满意 plus 基本满意, in percent."""
        counts = getattr(self, dimension)
        return _rate(counts[SATISFIED] + counts[BASICALLY], self.count)

    def fully_satisfied_rate(self, dimension: str = "result") -> float | None:
        return _rate(getattr(self, dimension)[SATISFIED], self.count)


@dataclasses.dataclass
class Figures:
    key: object
    label: str
    proposals: set = dataclasses.field(default_factory=set)
    assignments: int = 0
    replied: int = 0
    judged: int = 0
    on_time: int = 0
    classes: Counter = dataclasses.field(default_factory=Counter)
    first: Tally = dataclasses.field(default_factory=Tally)
    first_paper: Tally = dataclasses.field(default_factory=Tally)
    final: Tally = dataclasses.field(default_factory=Tally)
    final_paper: Tally = dataclasses.field(default_factory=Tally)
    not_rated: int = 0
    rehandling: int = 0

    @property
    def proposal_count(self) -> int:
        return len(self.proposals)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.judged)

    def class_share(self, code: str) -> float | None:
        return _rate(self.classes[code], sum(self.classes.values()))


@dataclasses.dataclass
class Statistics:
    body: Body
    year: int
    class_codes: list[str]
    by: dict[str, list[Figures]]
    total: Figures


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def scoped_assignments(user, *, body: Body, year: int) -> QuerySet[Assignment]:
    """The answering assignments counted for `body` and `year`, limited to the user's scope."""
    return permissions.visible_assignments(user).filter(
        proposal__body=body,
        proposal__received_on__year=year,
        role__in=Assignment.ANSWERING_ROLES,
    ).exclude(state=Assignment.State.REASSIGNED)


def _first_round_due(row, extensions, first_reply_at, reply_months: int) -> datetime.date | None:
    """The due date of the first round as it stood: the current one while still in round 1;
    afterwards, the last extension approved before the first reply, or the original date."""
    if row["round"] == 1:
        return row["reply_due"]
    before = [e for e in extensions if first_reply_at is None or e["requested_at"] <= first_reply_at]
    if before:
        return before[-1]["requested_due"]
    if extensions:
        return extensions[0]["previous_due"]
    # Re-handling replaced the stored date and no extension kept it: recompute it from the rule.
    return calendar.add_months(row["assigned_on"], reply_months)


def compute(user, *, body: Body, year: int, today: datetime.date | None = None) -> Statistics:
    today = today or timezone.localdate()
    assignments = scoped_assignments(user, body=body, year=year)
    ids = assignments.values("pk")
    rows = list(
        assignments.values(
            "pk", "proposal_id", "unit_id", "unit__name", "proposal__category_id", "proposal__category__name",
            "proposal__lead_deputy_id", "proposal__lead_deputy__name", "round", "reply_due", "assigned_on",
            "replied_on", "rating_status",
        ).order_by("pk")
    )
    replies = defaultdict(dict)
    for reply in Reply.objects.filter(assignment_id__in=ids).values(
        "assignment_id", "round", "submitted_at", "reply_class__code"
    ):
        replies[reply["assignment_id"]][reply["round"]] = reply
    ratings = defaultdict(dict)
    for rating in (
        Rating.objects.effective()
        .filter(assignment_id__in=ids, rater_group=Rating.RaterGroup.DEPUTY)
        .values("assignment_id", "round", "attitude", "result", "via")
        .order_by("submitted_at", "pk")
    ):
        ratings[rating["assignment_id"]][rating["round"]] = rating
    extensions = defaultdict(list)
    for extension in (
        Extension.objects.filter(assignment_id__in=ids, state=Extension.State.APPROVED)
        .values("assignment_id", "requested_due", "previous_due", "requested_at")
        .order_by("requested_at", "pk")
    ):
        extensions[extension["assignment_id"]].append(extension)
    class_codes = list(
        ReplyClass.objects.filter(body=body, is_active=True).order_by("order", "code").values_list("code", flat=True)
    )
    reply_months = rules_for(body).reply_months

    groups: dict[str, dict] = {name: {} for name in DIMENSIONS}
    total = Figures(key=None, label=_("Total"))
    uncategorised = _("Uncategorised")
    for row in rows:
        keys = {
            "unit": (row["unit_id"], row["unit__name"]),
            "category": (row["proposal__category_id"], row["proposal__category__name"] or uncategorised),
            "deputy": (row["proposal__lead_deputy_id"], row["proposal__lead_deputy__name"]),
        }
        targets = [total]
        for name, (key, label) in keys.items():
            figures = groups[name].get(key)
            if figures is None:
                figures = groups[name][key] = Figures(key=key, label=label)
            targets.append(figures)
        _count(row, replies[row["pk"]], ratings[row["pk"]], extensions[row["pk"]], reply_months, today, targets)

    by = {
        name: sorted(found.values(), key=lambda figures: (-figures.assignments, figures.label))
        for name, found in groups.items()
    }
    return Statistics(body=body, year=year, class_codes=class_codes, by=by, total=total)


def _count(row, replies, ratings, extensions, reply_months, today, targets) -> None:
    first_reply = replies.get(1)
    first_reply_at = first_reply["submitted_at"] if first_reply else None
    due = _first_round_due(row, extensions, first_reply_at, reply_months)
    on_time = judged = False
    if first_reply is not None:
        replied_on = row["replied_on"] if row["round"] == 1 and row["replied_on"] else _local_date(first_reply_at)
        judged, on_time = True, due is None or replied_on <= due
    elif due is not None and due < today:
        judged = True
    latest_reply = replies[max(replies)] if replies else None
    first_rating = ratings.get(1)
    final_rating = ratings[max(ratings)] if ratings else None
    for figures in targets:
        figures.proposals.add(row["proposal_id"])
        figures.assignments += 1
        figures.replied += first_reply is not None
        figures.judged += judged
        figures.on_time += on_time
        if latest_reply is not None:
            figures.classes[latest_reply["reply_class__code"]] += 1
        if first_rating is not None:
            tally = figures.first_paper if first_rating["via"] == Rating.Via.PAPER else figures.first
            tally.add(first_rating["attitude"], first_rating["result"])
        if final_rating is not None:
            tally = figures.final_paper if final_rating["via"] == Rating.Via.PAPER else figures.final
            tally.add(final_rating["attitude"], final_rating["result"])
        figures.not_rated += row["rating_status"] == Assignment.RatingStatus.NOT_RATED
        figures.rehandling += row["round"] - 1


def chart_data(statistics: Statistics, dimension: str, limit: int = 15) -> dict:
    """What the chart draws (json_script): the busiest groups' counts, on-time and satisfaction."""
    rows = statistics.by[dimension][:limit]
    return {
        "labels": [figures.label for figures in rows],
        "series": [
            {"name": str(_("Assignments")), "type": "bar", "data": [figures.assignments for figures in rows]},
            {"name": str(_("On-time rate (%)")), "type": "line", "data": [figures.on_time_rate for figures in rows]},
            {
                "name": str(_("Final satisfaction (%)")),
                "type": "line",
                "data": [figures.final.satisfied_rate() for figures in rows],
            },
        ],
    }


# ---- how far the year's proposals have come ------------------------------------------------

State = Proposal.State
# Each stage counts the proposals that reached it, whatever happened after.
STAGES = {
    "accepted": (State.ACCEPTED, State.ASSIGNED, State.HANDLING, State.REPLIED, State.EVALUATED,
                 State.REHANDLING, State.CLOSED),
    "assigned": (State.ASSIGNED, State.HANDLING, State.REPLIED, State.EVALUATED, State.REHANDLING, State.CLOSED),
    "replied": (State.REPLIED, State.EVALUATED, State.REHANDLING, State.CLOSED),
    "closed": (State.CLOSED,),
}


def proposal_progress(user, *, body: Body, year: int) -> dict[str, int]:
    """Proposals received in `year` (filed), and how many of them reached each stage (one query)."""
    received = permissions.visible_proposals(user).filter(body=body, received_on__year=year)
    return received.aggregate(
        filed=Count("pk"), **{stage: Count("pk", filter=Q(state__in=states)) for stage, states in STAGES.items()}
    )


# ---- units suggested for an assignment ------------------------------------------------------


def suggested_units(proposal: Proposal, *, limit: int = 5) -> list[Unit]:
    """The units most often assigned proposals of the same category before, most frequent first."""
    if proposal.category_id is None:
        return []
    counts = (
        Assignment.objects.filter(proposal__category_id=proposal.category_id, role__in=Assignment.ANSWERING_ROLES)
        .exclude(proposal=proposal)
        .exclude(state=Assignment.State.REASSIGNED)
        .values("unit_id")
        .annotate(times=Count("pk"))
        .order_by("-times", "unit_id")[:limit]
    )
    ranking = {row["unit_id"]: row["times"] for row in counts}
    units = Unit.objects.filter(pk__in=ranking, is_active=True).select_related("region")
    result = sorted(units, key=lambda unit: (-ranking[unit.pk], unit.pk))
    for unit in result:
        unit.times_assigned = ranking[unit.pk]
    return result
