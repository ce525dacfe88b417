"""Reads for the contact-stations screens and endpoints, scoped and preloaded."""

import dataclasses
import datetime

from django.db.models import Count, Prefetch, Q

from congress.rules import rules_for
from congress.similarity import bigrams, jaccard
from contact_stations import permissions
from contact_stations.models import (
    DutyShift,
    Opinion,
    OpinionAnswer,
    ShiftDuty,
    Station,
    StationDeputy,
    normalise_receipt_code,
)
from contact_stations.services.common import town_of

# ---- stations and shifts ---------------------------------------------------------------------


def stations_for(user):
    return permissions.visible_stations(user).select_related("region", "body", "keeper", "parent")


def public_stations():
    """The public directory: open stations with their region, ordered by the region tree."""
    return Station.objects.active().select_related("region", "region__parent").order_by("region__path", "name")


def station_by_public_code(code: str) -> Station | None:
    return (
        Station.objects.active()
        .select_related("region", "body")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=StationDeputy.objects.current().select_related("deputy").order_by("deputy__name"),
                to_attr="current_assignments",
            )
        )
        .filter(public_code=code)
        .first()
    )


def upcoming_shifts(station: Station, *, today: datetime.date, limit: int = 6):
    """Announced shifts from today on, with their deputies (for the public station page)."""
    return (
        DutyShift.objects.upcoming(today)
        .filter(station=station)
        .prefetch_related(Prefetch("duties", queryset=ShiftDuty.objects.select_related("deputy")))
        .order_by("date", "start_time")[:limit]
    )


def shifts_for(user, *, station: Station | None = None):
    shifts = permissions.visible_shifts(user).select_related("station__region", "visiting_leader")
    if station is not None:
        shifts = shifts.filter(station=station)
    return shifts.prefetch_related(Prefetch("duties", queryset=ShiftDuty.objects.select_related("deputy")))


def receptions_served(*, deputies, year: int):
    """Deputies annotated with the held reception shifts they were present at in `year`."""
    served = Q(
        shift_duties__shift__state=DutyShift.State.HELD,
        shift_duties__shift__date__year=year,
        shift_duties__checked_in_at__isnull=False,
    )
    return deputies.annotate(receptions=Count("shift_duties", filter=served))


def deputies_below_minimum(*, body, year: int):
    """Serving deputies of `body` stationed somewhere who served fewer receptions than the rule asks."""
    from deputies.models import Deputy

    minimum = rules_for(body).min_receptions_per_year
    deputies = Deputy.objects.serving().filter(body=body, station_assignments__until__isnull=True).distinct()
    return receptions_served(deputies=deputies, year=year).filter(receptions__lt=minimum).order_by("receptions", "name")


# ---- opinions --------------------------------------------------------------------------------


def opinions_for(user):
    """The opinions the user may read, preloaded for a list (triage queue, API)."""
    return permissions.visible_opinions(user).select_related(
        "station", "region", "deputy", "passed_to_unit", "answered_by_unit", "answered_by_region", "body"
    )


def opinion_queue(user, *, states=None):
    """The triage queue: open items, the most urgent deadline first."""
    states = states or [state for state in Opinion.State.values if state != Opinion.State.CLOSED]
    return opinions_for(user).filter(state__in=states).order_by("answer_due", "ack_due", "pk")


def opinion_detail(user, pk: int) -> Opinion:
    """One opinion with its answers and return visits; raises DoesNotExist outside the scope."""
    return (
        opinions_for(user)
        .prefetch_related(
            Prefetch("answers", queryset=OpinionAnswer.objects.select_related("by", "organ_unit", "organ_region")),
            "return_visits",
        )
        .get(pk=pk)
    )


@dataclasses.dataclass(frozen=True)
class PublicOpinionStatus:
    """What a receipt code shows: no name, no phone, no content beyond the category."""

    receipt_code: str
    state: str
    state_label: str
    category_label: str
    received_on: datetime.date
    answer_due: datetime.date
    answers: tuple[tuple[str, str, datetime.datetime], ...]  # (organ, text, time)
    can_rate: bool


def opinion_status_by_receipt(code: str) -> PublicOpinionStatus | None:
    opinion = (
        Opinion.objects.filter(receipt_code=normalise_receipt_code(code or ""))
        .prefetch_related(
            Prefetch("answers", queryset=OpinionAnswer.objects.select_related("organ_unit", "organ_region"))
        )
        .first()
    )
    if opinion is None:
        return None
    return PublicOpinionStatus(
        receipt_code=opinion.receipt_code,
        state=opinion.state,
        state_label=str(opinion.get_state_display()),
        category_label=str(opinion.get_category_display()),
        received_on=opinion.received_on,
        answer_due=opinion.answer_due,
        answers=tuple((answer.organ_name, answer.text, answer.created_at) for answer in opinion.answers.all()),
        can_rate=opinion.state == Opinion.State.CLOSED,
    )


# ---- duplicates ------------------------------------------------------------------------------

SIMILARITY_CANDIDATES = 300
SIMILARITY_THRESHOLD = 0.3


def similar_open_opinions(opinion: Opinion, *, limit: int = 5, threshold: float = SIMILARITY_THRESHOLD):
    """Open opinions at the same station or in the same town that read alike, best first.

    Candidates are bounded (the newest `SIMILARITY_CANDIDATES` open items of the station and its
    town), so the cost is two queries and a small Python loop whatever the table size.
    """
    town = town_of(opinion.region)
    scope = Q(station_id=opinion.station_id) if opinion.station_id else Q(pk__in=[])
    if town is not None:
        scope |= Q(region__path__startswith=town.path)
    candidates = (
        Opinion.objects.open()
        .exclude(pk=opinion.pk)
        .filter(scope)
        .select_related("station")
        .only("pk", "content", "receipt_code", "state", "received_on", "station__name", "duplicate_of_id")
        .order_by("-pk")[:SIMILARITY_CANDIDATES]
    )
    grams = bigrams(opinion.content)
    scored = [(jaccard(grams, bigrams(candidate.content)), candidate) for candidate in candidates]
    scored = [(score, candidate) for score, candidate in scored if score >= threshold]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return scored[:limit]
