"""Statistics per station and per town (DESIGN §6): shifts held, visitors, opinions received,
closed, answered on time, and the citizens' satisfaction, for one year.

Each figure is a grouped aggregate in the database — three queries whatever the number of
stations — over the stations the user may see; a town's row adds up its stations' rows.

Definitions (for the year chosen):
- shifts held, visitors: shifts closed as held whose date falls in the year, and their visitors;
- received: opinions received at the station in the year; closed: those of them now closed;
- on time: those of them answered (answered_at) no later than their answer deadline;
- satisfaction: return-visit ratings given in the year for the station's opinions; the rate is
  (satisfied + basically satisfied) / rated.
"""

import dataclasses
import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from congress.models import Region
from contact_stations import permissions
from contact_stations.forms_console import overdue_q
from contact_stations.models import DutyShift, Opinion, Rating, ReturnVisit
from contact_stations.services.common import ancestor_paths


@dataclasses.dataclass
class Figures:
    key: int
    name: str
    town: str = ""
    shifts_held: int = 0
    visitors: int = 0
    received: int = 0
    closed: int = 0
    on_time: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def satisfaction_rate(self) -> float | None:
        """Share of ratings that are satisfied or basically satisfied, in percent (None if unrated)."""
        if not self.rated:
            return None
        return round(100 * (self.satisfied + self.basically_satisfied) / self.rated, 1)

    @property
    def on_time_rate(self) -> float | None:
        """Share of the opinions received that were answered on time, in percent."""
        if not self.received:
            return None
        return round(100 * self.on_time / self.received, 1)

    def add(self, other: "Figures") -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTED = ("shifts_held", "visitors", "received", "closed", "on_time", "satisfied", "basically_satisfied",
           "unsatisfied")


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def station_figures(user, *, year: int, body=None) -> list[Figures]:
    """One row per station the user may see (of `body`'s, when given), ordered by the region tree
    and the name."""
    stations = permissions.visible_stations(user)
    if body is not None:
        stations = stations.filter(body=body)
    stations = list(stations.order_by("region__path", "name").values("pk", "name", "region__path"))
    station_ids = [station["pk"] for station in stations]
    towns = _towns_by_path([station["region__path"] for station in stations])
    rows = {
        station["pk"]: Figures(key=station["pk"], name=station["name"], town=towns.get(station["region__path"], ""))
        for station in stations
    }
    if not rows:
        return []

    shifts = (
        DutyShift.objects.filter(station_id__in=station_ids, state=DutyShift.State.HELD, date__year=year)
        .values("station_id")
        .annotate(held=Count("pk"), visitors=Sum("visitor_count"))
    )
    for item in shifts:
        rows[item["station_id"]].shifts_held = item["held"]
        rows[item["station_id"]].visitors = item["visitors"] or 0

    opinions = (
        Opinion.objects.filter(station_id__in=station_ids, received_on__year=year)
        .values("station_id")
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=Q(state=Opinion.State.CLOSED)),
            on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__date__lte=F("answer_due"))),
        )
    )
    for item in opinions:
        row = rows[item["station_id"]]
        row.received, row.closed, row.on_time = item["received"], item["closed"], item["on_time"]

    start, end = _year_bounds(year)
    ratings = (
        ReturnVisit.objects.filter(opinion__station_id__in=station_ids, rated_at__gte=start, rated_at__lt=end)
        .values("opinion__station_id")
        .annotate(
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basically=Count("pk", filter=Q(rating=Rating.BASICALLY_SATISFIED)),
            unsatisfied=Count("pk", filter=Q(rating=Rating.UNSATISFIED)),
        )
    )
    for item in ratings:
        row = rows[item["opinion__station_id"]]
        row.satisfied, row.basically_satisfied, row.unsatisfied = (
            item["satisfied"], item["basically"], item["unsatisfied"]
        )
    return list(rows.values())


def _towns_by_path(paths: list[str]) -> dict[str, str]:
    """Each region path → the name of the town or street it lies in (one query)."""
    wanted = {ancestor for path in paths for ancestor in ancestor_paths(path)}
    towns = dict(
        Region.objects.filter(path__in=wanted, kind__in=[Region.Kind.TOWN, Region.Kind.STREET])
        .values_list("path", "name")
    )
    result = {}
    for path in paths:
        for ancestor in reversed(ancestor_paths(path)):
            if ancestor in towns:
                result[path] = towns[ancestor]
                break
    return result


def town_figures(station_rows: list[Figures]) -> list[Figures]:
    """The station rows added up per town (stations outside any town under an empty name)."""
    towns: dict[str, Figures] = {}
    for row in station_rows:
        total = towns.setdefault(row.town, Figures(key=len(towns) + 1, name=row.town))
        total.add(row)
    return list(towns.values())


def totals(rows: list[Figures], name: str) -> Figures:
    total = Figures(key=0, name=name)
    for row in rows:
        total.add(row)
    return total


def chart_data(rows: list[Figures]) -> dict:
    """What the statistics chart draws (json_script → static/js/stations-charts.js)."""
    return {
        "labels": [row.name or "—" for row in rows],
        "series": {name: [getattr(row, name) for row in rows] for name in ("shifts_held", "visitors", "received",
                                                                          "closed", "on_time")},
    }


@dataclasses.dataclass(frozen=True)
class Backlog:
    received_this_year: int
    received_this_month: int
    open: int
    overdue: int
    average_days_to_close: float | None


def opinion_backlog(user, *, body, year: int, today: datetime.date) -> Backlog:
    """A congress's opinions from every source (stations, deputies' cards, visits), in one query:
    received in `year` and in `today`'s month, open and overdue now, and the average number of days from
    receipt to closure of those closed in `year`."""
    days_to_close = ExpressionWrapper(TruncDate("closed_at") - F("received_on"), output_field=DurationField())
    closed_in_year = Q(state=Opinion.State.CLOSED, closed_at__isnull=False, closed_at__year=year)
    figures = permissions.visible_opinions(user).filter(body=body).aggregate(
        received_this_year=Count("pk", filter=Q(received_on__year=year)),
        received_this_month=Count("pk", filter=Q(received_on__year=today.year, received_on__month=today.month)),
        open=Count("pk", filter=~Q(state=Opinion.State.CLOSED)),
        overdue=Count("pk", filter=overdue_q(today)),
        average=Avg(days_to_close, filter=closed_in_year),
    )
    average = figures.pop("average")
    days = None if average is None else round(average.total_seconds() / 86400, 1)
    return Backlog(**figures, average_days_to_close=days)
