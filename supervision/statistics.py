"""Supervision statistics for one plan year, in three aggregate queries whatever the table sizes:
topics by kind and state, closed satisfaction votes by round, and rectification items by owner
unit. Every figure is counted within what the user may read (supervision.permissions)."""

import dataclasses

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from supervision import permissions
from supervision.models import RectificationItem, SatisfactionVote, Topic, TopicKind
from supervision.services.common import today

TopicState = Topic.State
ItemStatus = RectificationItem.Status
VOTE_SERIES = ("passed", "failed", "satisfied", "basically", "unsatisfied")
LEDGER_SERIES = ("open", "closed", "overdue")


@dataclasses.dataclass
class KindRow:
    kind: str
    label: str
    by_state: dict[str, int]

    @property
    def counts(self) -> list[int]:
        return [self.by_state.get(state, 0) for state in TopicState.values]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


@dataclasses.dataclass
class RoundRow:
    round: int
    held: int
    passed: int
    satisfied: int
    basically: int
    unsatisfied: int

    @property
    def failed(self) -> int:
        return self.held - self.passed


@dataclasses.dataclass
class UnitRow:
    unit: str
    open: int
    closed: int
    overdue: int


@dataclasses.dataclass
class Statistics:
    year: int
    kinds: list[KindRow]
    rounds: list[RoundRow]
    units: list[UnitRow]

    @property
    def state_labels(self) -> list[str]:
        return [str(label) for label in TopicState.labels]

    def charts(self) -> dict[str, dict]:
        """The three charts' data for static/js/stations-charts.js: category labels and named series."""
        return {
            "topics": {
                "labels": [row.label for row in self.kinds],
                "series": {state: [row.by_state.get(state, 0) for row in self.kinds] for state in TopicState.values
                           if any(row.by_state.get(state) for row in self.kinds)},
            },
            "votes": {
                "labels": [_("Round %(round)s") % {"round": row.round} for row in self.rounds],
                "series": {name: [getattr(row, name) for row in self.rounds] for name in VOTE_SERIES},
            },
            "ledger": {
                "labels": [row.unit for row in self.units],
                "series": {name: [getattr(row, name) for row in self.units] for name in LEDGER_SERIES},
            },
        }

    @staticmethod
    def chart_names() -> dict[str, dict]:
        return {
            "topics": {state: str(label) for state, label in TopicState.choices},
            "votes": {"passed": _("Passed"), "failed": _("Not passed"), "satisfied": _("Satisfied"),
                      "basically": _("Basically satisfied"), "unsatisfied": _("Unsatisfied")},
            "ledger": {"open": pgettext("ledger item state", "Open"), "closed": _("Done"), "overdue": _("Overdue")},
        }


def _kinds(topics) -> list[KindRow]:
    counts: dict[str, dict[str, int]] = {}
    for row in topics.values("kind", "state").annotate(count=Count("pk")).order_by():
        counts.setdefault(row["kind"], {})[row["state"]] = row["count"]
    return [KindRow(kind=kind, label=str(label), by_state=counts[kind])
            for kind, label in TopicKind.choices if kind in counts]


def _tally(choice: str):
    return Coalesce(Sum(F(f"online_{choice}") + F(f"paper_{choice}")), 0)


def _rounds(topics) -> list[RoundRow]:
    """Closed overall votes (an appraisal's per-dimension votes are not rounds of their own)."""
    rows = (
        SatisfactionVote.objects.filter(topic__in=topics.values("pk"), state=SatisfactionVote.State.CLOSED,
                                        dimension="")
        .values("round").order_by("round")
        .annotate(held=Count("pk"), passed_count=Count("pk", filter=Q(passed=True)), satisfied=_tally("satisfied"),
                  basically=_tally("basically"), unsatisfied=_tally("unsatisfied"))
    )
    return [RoundRow(round=row["round"], held=row["held"], passed=row["passed_count"], satisfied=row["satisfied"],
                     basically=row["basically"], unsatisfied=row["unsatisfied"]) for row in rows]


def _units(user, year: int, body=None) -> list[UnitRow]:
    """Open counts every item not done, overdue those of them past their due date."""
    not_done = ~Q(status=ItemStatus.DONE)
    items = permissions.visible_ledger(user).filter(
        Q(opinion__topic__plan__year=year) | Q(evaluation__topic__plan__year=year)
    )
    if body is not None:
        items = items.filter(Q(opinion__topic__plan__body=body) | Q(evaluation__topic__plan__body=body))
    rows = (
        items
        .values("owner_unit__name").order_by("owner_unit__name")
        .annotate(open=Count("pk", filter=not_done), closed=Count("pk", filter=Q(status=ItemStatus.DONE)),
                  overdue=Count("pk", filter=not_done & Q(due_on__lt=today())))
    )
    return [UnitRow(unit=row["owner_unit__name"], open=row["open"], closed=row["closed"], overdue=row["overdue"])
            for row in rows]


def compute(user, *, year: int, body=None) -> Statistics:
    """The year's figures in the user's scope; `body` narrows them to one congress's plan."""
    topics = permissions.visible_topics(user).filter(plan__year=year)
    if body is not None:
        topics = topics.filter(plan__body=body)
    return Statistics(year=year, kinds=_kinds(topics), rounds=_rounds(topics), units=_units(user, year, body))
