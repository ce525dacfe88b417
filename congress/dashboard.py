"""The leaders' dashboard as the page shows it: one card per app, each figure with a link to the
page where it can be acted on (only when the reader may open that page), and each chart with the
same figures as a table for anyone without JavaScript or a screen reader.

The figures come from `congress.selectors_dashboard`; this module only labels and links them.
"""

import dataclasses
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress.selectors_dashboard import Overview
from contact_stations.views.console import can_read_opinions, can_read_stations
from deputies import permissions as deputy_permissions
from deputies.selectors import ScoreBand
from suggestions import permissions as suggestion_permissions
from suggestions.statistics import STAGES
from supervision import permissions as supervision_permissions
from supervision.models import Topic


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: object
    url: str | None = None
    suffix: str = ""

    @property
    def shown(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value}{self.suffix}"


@dataclasses.dataclass(frozen=True)
class Chart:
    """Drawn by static/js/stations-charts.js from `data` and `names` (json_script)."""

    key: str
    title: str
    labels: list[str]
    series: list[tuple[str, str, list]]  # (key, name, one value per label)

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def names_id(self) -> str:
        return f"chart-{self.key}-names"

    @property
    def data(self) -> dict:
        return {"labels": self.labels, "series": {key: values for key, _name, values in self.series}}

    @property
    def names(self) -> dict:
        return {key: name for key, name, _values in self.series}

    @property
    def rows(self) -> list[tuple[str, list]]:
        return [(label, [values[index] for _key, _name, values in self.series])
                for index, label in enumerate(self.labels)]


@dataclasses.dataclass(frozen=True)
class Card:
    key: str
    title: str
    icon: str
    figures: list[Figure]
    charts: list[Chart]


def _link(allowed: bool, name: str, **query) -> str | None:
    if not allowed:
        return None
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


def _deputies_card(user, overview: Overview) -> Card:
    figures, body = overview.deputies, overview.body
    roster = _link(deputy_permissions.can_read_roster(user), "console:deputies:roster", body=body.pk)
    reports = _link(deputy_permissions.can_manage_voter_reports(user, body), "console:deputies:voter_report_plan",
                    body=body.pk)
    labels = ScoreBand.LABELS
    return Card(
        key="deputies", title=_("Deputies"), icon="person-badge",
        figures=[
            Figure("serving", _("Deputies serving"), figures.serving, roster),
            Figure("activities", _("Duty activities this year"), figures.activities, roster),
            *(Figure(f"band-{band}", _("Score: %(band)s") % {"band": labels[band]}, count, roster)
              for band, count in figures.bands.items()),
            Figure("voter-reports", _("Reports to voters held"), figures.voter_reports_held, reports),
        ],
        charts=[Chart(
            key="deputies-bands", title=_("Deputies by score band"),
            labels=[str(labels[band]) for band in figures.bands],
            series=[("deputies", _("Deputies"), list(figures.bands.values()))],
        )],
    )


def _suggestions_card(user, overview: Overview) -> Card:
    figures, body, year = overview.suggestions, overview.body, overview.year
    statistics = _link(suggestion_permissions.can_read_statistics(user), "console:suggestions:statistics",
                       body=body.pk, year=year)
    works = suggestion_permissions.can_work_proposals(user)
    stage_labels = {"filed": _("Filed"), "accepted": _("Accepted"), "assigned": _("Assigned"),
                    "replied": _("Replied"), "closed": pgettext("suggestion stage", "Closed")}
    stages = ["filed", *STAGES]
    return Card(
        key="suggestions", title=_("Suggestions"), icon="chat-square-text",
        figures=[
            *(Figure(stage, stage_labels[stage], figures.progress[stage], statistics) for stage in stages),
            Figure("overdue", _("Overdue now"), figures.overdue,
                   _link(works, "console:suggestions:deadlines") or statistics),
            Figure("on-time", _("On-time reply rate"), figures.on_time_rate, statistics, "%"),
            Figure("first-satisfaction", _("First-round satisfaction (deputies)"), figures.first_satisfaction,
                   statistics, "%"),
            Figure("final-satisfaction", _("Final satisfaction (deputies)"), figures.final_satisfaction,
                   statistics, "%"),
            Figure("rehandling", _("Re-handling rounds"), figures.rehandling,
                   _link(works, "console:suggestions:rehandling") or statistics),
            Figure("key-open", _("Key suggestions open"), figures.key_open,
                   _link(suggestion_permissions.can_follow_key_suggestions(user), "console:suggestions:key_suggestions",
                         year=year)),
        ],
        charts=[Chart(
            key="suggestions-progress", title=_("Proposals received this year, by stage reached"),
            labels=[str(stage_labels[stage]) for stage in stages],
            series=[("proposals", _("Proposals"), [figures.progress[stage] for stage in stages])],
        )],
    )


def _supervision_card(user, overview: Overview) -> Card:
    figures, year = overview.supervision, overview.year
    statistics = _link(supervision_permissions.can_read_statistics(user), "console:supervision:statistics", year=year)
    plans = _link(supervision_permissions.can_read_supervision(user), "console:supervision:plan_list")
    states = [(state, label) for state, label in Topic.State.choices if figures.topics_by_state.get(state)]
    return Card(
        key="supervision", title=_("Supervision"), icon="clipboard-check",
        figures=[
            Figure("topics", _("Topics in the year's plan"), figures.topics, plans),
            *(Figure(f"topics-{state}", str(label), figures.topics_by_state[state], plans) for state, label in states),
            Figure("votes-passed", _("Votes passed"), sum(row.passed for row in figures.rounds), statistics),
            Figure("votes-failed", _("Votes not passed"), sum(row.failed for row in figures.rounds), statistics),
            Figure("ledger-open", _("Rectification items open"), figures.ledger_open, statistics),
            Figure("ledger-overdue", _("Rectification items overdue"), figures.ledger_overdue, statistics),
        ],
        charts=[
            Chart(
                key="supervision-topics", title=_("Topics by status"),
                labels=[str(label) for _state, label in states],
                series=[("topics", _("Topics"), [figures.topics_by_state[state] for state, _label in states])],
            ),
            Chart(
                key="supervision-votes", title=_("Satisfaction votes by round"),
                labels=[_("Round %(round)s") % {"round": row.round} for row in figures.rounds],
                series=[("passed", _("Passed"), [row.passed for row in figures.rounds]),
                        ("failed", _("Not passed"), [row.failed for row in figures.rounds])],
            ),
        ],
    )


def _stations_card(user, overview: Overview) -> Card:
    figures, year = overview.stations, overview.year
    opinions = can_read_opinions(user)
    queue = _link(opinions, "console:stations:opinion_queue")
    statistics = _link(can_read_stations(user), "console:stations:statistics", year=year)
    return Card(
        key="stations", title=_("Contact stations"), icon="house-heart",
        figures=[
            Figure("opinions-month", _("Opinions received this month"), figures.received_this_month, queue),
            Figure("opinions-year", _("Opinions received this year"), figures.received_this_year, statistics),
            Figure("opinions-open", _("Opinions open"), figures.open, queue),
            Figure("opinions-overdue", _("Opinions overdue"), figures.overdue,
                   _link(opinions, "console:stations:opinion_queue", overdue="on")),
            Figure("days-to-close", _("Average days to close"), figures.average_days_to_close, statistics),
            Figure("return-visit-satisfaction", _("Return-visit satisfaction"), figures.satisfaction_rate,
                   statistics, "%"),
        ],
        charts=[],
    )


def cards(user, overview: Overview) -> list[Card]:
    return [
        _deputies_card(user, overview),
        _suggestions_card(user, overview),
        _supervision_card(user, overview),
        _stations_card(user, overview),
    ]
