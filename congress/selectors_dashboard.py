"""The figures of the leaders' dashboard (领导驾驶舱) for one congress and year.

Nothing is counted here: every figure comes from the function that owns it in its app (the
deputies' scoring, the suggestions and supervision statistics, the station statistics), so the
dashboard and each app's own page always agree. The whole overview costs a fixed number of
queries whatever the number of deputies, proposals, topics or opinions.
"""

import dataclasses
import datetime
from collections import Counter

from congress.models import Body
from contact_stations import statistics as station_statistics
from deputies import selectors as deputy_selectors
from deputies import selectors_voter_reports
from deputies.selectors import ScoreBand
from suggestions import selectors as suggestion_selectors
from suggestions import selectors_console as suggestion_console
from suggestions import statistics as suggestion_statistics
from supervision import statistics as supervision_statistics


@dataclasses.dataclass(frozen=True)
class Deputies:
    serving: int
    activities: int
    bands: dict[str, int]
    voter_reports_held: int


@dataclasses.dataclass(frozen=True)
class Suggestions:
    progress: dict[str, int]
    overdue: int
    on_time_rate: float | None
    first_satisfaction: float | None
    final_satisfaction: float | None
    rehandling: int
    key_open: int


@dataclasses.dataclass(frozen=True)
class Supervision:
    topics_by_state: dict[str, int]
    rounds: list[supervision_statistics.RoundRow]
    ledger_open: int
    ledger_overdue: int

    @property
    def topics(self) -> int:
        return sum(self.topics_by_state.values())


@dataclasses.dataclass(frozen=True)
class Stations:
    received_this_month: int
    received_this_year: int
    open: int
    overdue: int
    average_days_to_close: float | None
    satisfaction_rate: float | None
    rated: int


@dataclasses.dataclass(frozen=True)
class Overview:
    body: Body
    year: int
    deputies: Deputies
    suggestions: Suggestions
    supervision: Supervision
    stations: Stations


def _deputies(body: Body, year: int) -> Deputies:
    scores = deputy_selectors.body_scores(body, year)
    bands = Counter(score.band for score in scores)
    return Deputies(
        serving=len(scores),
        activities=deputy_selectors.activities_held(body, year),
        bands={band: bands[band] for band in (ScoreBand.GOOD, ScoreBand.FAIR, ScoreBand.POOR)},
        voter_reports_held=selectors_voter_reports.voter_reports_held(body, year),
    )


def _suggestions(user, body: Body, year: int, today: datetime.date) -> Suggestions:
    total = suggestion_statistics.compute(user, body=body, year=year, today=today).total
    overdue = suggestion_selectors.deadlines_board(user, today=today)["overdue"].filter(proposal__body=body)
    key_open = suggestion_console.key_suggestions(user, year=year).filter(proposal__body=body, is_solved=False)
    return Suggestions(
        progress=suggestion_statistics.proposal_progress(user, body=body, year=year),
        overdue=overdue.count(),
        on_time_rate=total.on_time_rate,
        # The deputies' own ratings; those staff entered from paper forms are counted apart (DESIGN §4).
        first_satisfaction=total.first.satisfied_rate(),
        final_satisfaction=total.final.satisfied_rate(),
        rehandling=total.rehandling,
        key_open=key_open.count(),
    )


def _supervision(user, body: Body, year: int) -> Supervision:
    figures = supervision_statistics.compute(user, year=year, body=body)
    by_state: Counter = Counter()
    for row in figures.kinds:
        by_state.update(row.by_state)
    return Supervision(
        topics_by_state=dict(by_state),
        rounds=figures.rounds,
        ledger_open=sum(row.open for row in figures.units),
        ledger_overdue=sum(row.overdue for row in figures.units),
    )


def _stations(user, body: Body, year: int, today: datetime.date) -> Stations:
    total = station_statistics.totals(station_statistics.station_figures(user, year=year, body=body), "")
    backlog = station_statistics.opinion_backlog(user, body=body, year=year, today=today)
    return Stations(
        received_this_month=backlog.received_this_month,
        received_this_year=backlog.received_this_year,
        open=backlog.open,
        overdue=backlog.overdue,
        average_days_to_close=backlog.average_days_to_close,
        satisfaction_rate=total.satisfaction_rate,
        rated=total.rated,
    )


def overview(user, *, body: Body, year: int, today: datetime.date) -> Overview:
    """The body's year across the four apps, within what the user may read."""
    return Overview(
        body=body,
        year=year,
        deputies=_deputies(body, year),
        suggestions=_suggestions(user, body, year, today),
        supervision=_supervision(user, body, year),
        stations=_stations(user, body, year, today),
    )
