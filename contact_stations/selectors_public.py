"""Reads of the public station pages: the directory, a deputy's contact card, an opinion's status.

Nothing here loads a citizen's name or phone, or a deputy's phone or ID number: the public rows
are built from public columns only (see deputies.selectors_directory.PUBLIC_COLUMNS).
"""

import dataclasses
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q

from congress.models import Event, Region
from contact_stations import selectors
from contact_stations.models import (
    DutyShift,
    Opinion,
    OpinionAnswer,
    ReturnVisit,
    ShiftDuty,
    Station,
    StationActivity,
    StationActivityPhoto,
    StationDeputy,
    normalise_receipt_code,
)
from deputies import selectors_directory
from deputies.models import Deputy

PUBLIC_ACTIVITIES = 6


def directory_towns():
    """Towns and streets that have at least one open station, for the directory's filter."""
    town_kinds = [Region.Kind.TOWN, Region.Kind.STREET]
    paths = Station.objects.active().values_list("region__path", flat=True)
    towns = list(Region.objects.filter(kind__in=town_kinds).order_by("path"))
    station_paths = set(paths)
    return [town for town in towns if any(path.startswith(town.path) for path in station_paths)]


def directory_stations(*, town: Region | None = None, kind: str = "", query: str = ""):
    stations = selectors.public_stations()
    if town is not None:
        stations = stations.filter(region__path__startswith=town.path)
    if kind:
        stations = stations.filter(kind=kind)
    if query:
        stations = stations.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return stations


def deputy_card(code: str) -> Deputy:
    """A serving deputy's public columns by their public code, or DoesNotExist (404): the card is
    never found by primary key, so a QR code reveals nothing about the roster (SECURITY S14)."""
    return selectors_directory.public_deputy_by_code(code)


def deputy_stations(deputy: Deputy):
    """The open stations the deputy is stationed at now."""
    return (
        Station.objects.active()
        .filter(pk__in=StationDeputy.objects.current().filter(deputy=deputy).values("station_id"))
        .select_related("region")
        .order_by("region__path", "name")
    )


def deputy_upcoming_shifts(deputy: Deputy, *, today: datetime.date, limit: int = 6):
    """Announced reception days the deputy is on duty at, from today on."""
    return (
        DutyShift.objects.upcoming(today)
        .filter(duties__deputy=deputy, station__status=Station.Status.ACTIVE)
        .select_related("station")
        .order_by("date", "start_time")[:limit]
    )


def station_page(code: str) -> Station | None:
    """An open station by its public code, with its serving deputies (public columns only), or None."""
    deputies = (
        StationDeputy.objects.current()
        .filter(deputy__status=Deputy.Status.SERVING)
        .select_related("deputy")
        .only(
            "station_id", "deputy__name", "deputy__occupation", "deputy__employer", "deputy__status",
            "deputy__public_code",
        )
        .order_by("deputy__name")
    )
    return (
        Station.objects.active()
        .select_related("region")
        .prefetch_related(Prefetch("assignments", queryset=deputies, to_attr="current_assignments"))
        .filter(public_code=code)
        .first()
    )


def station_public_activities(station: Station, *, limit: int = PUBLIC_ACTIVITIES):
    """The station's published activities, newest first, with their photos (two queries)."""
    return (
        StationActivity.objects.filter(station=station, is_public=True)
        .only("pk", "station_id", "kind", "title", "theme", "date", "place")
        .prefetch_related(
            Prefetch("photos", queryset=StationActivityPhoto.objects.only("pk", "activity_id", "caption"))
        )
        .order_by("-date", "-pk")[:limit]
    )


def public_activity_photo(code: str, pk: int) -> StationActivityPhoto | None:
    """A photo of a published activity of the open station with this public code, or None."""
    return (
        StationActivityPhoto.objects.filter(
            pk=pk, activity__is_public=True, activity__station__public_code=code,
            activity__station__status=Station.Status.ACTIVE,
        )
        .only("pk", "image")
        .first()
    )


def station_upcoming_shifts(station: Station, *, today: datetime.date, limit: int = 6):
    return (
        DutyShift.objects.upcoming(today)
        .filter(station=station)
        .prefetch_related(
            Prefetch("duties", queryset=ShiftDuty.objects.select_related("deputy").only("shift_id", "deputy__name"))
        )
        .order_by("date", "start_time")[:limit]
    )


@dataclasses.dataclass(frozen=True)
class TimelineStep:
    state_label: str
    time: datetime.datetime


def opinion_status(code: str):
    """What a receipt code shows: the public status (see selectors.PublicOpinionStatus) and the
    states it went through with their times; never a note (notes can name people)."""
    status = selectors.opinion_status_by_receipt(code)
    if status is None:
        return None, []
    opinion_id = Opinion.objects.filter(receipt_code=normalise_receipt_code(code)).values_list("pk", flat=True).first()
    labels = dict(Opinion.State.choices)
    events = (
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(Opinion), object_id=str(opinion_id)
        )
        .exclude(to_state="")
        .only("to_state", "created_at")
        .order_by("created_at", "pk")
    )
    timeline = [TimelineStep(str(labels.get(event.to_state, event.to_state)), event.created_at) for event in events]
    return status, timeline


@dataclasses.dataclass(frozen=True)
class RatingLink:
    receipt_code: str
    answers: tuple[tuple[str, str, datetime.datetime], ...]  # (organ, text, time)
    still_closed: bool  # False once the opinion was reopened after this link went out


def rating_link(token: str) -> RatingLink | None:
    """The unused rating link's opinion (receipt code and answers only), or None."""
    from contact_stations.services.return_visits import token_digest

    visit = (
        ReturnVisit.objects.filter(token_hash=token_digest(token), rated_at__isnull=True)
        .select_related("opinion")
        .only("round", "opinion__receipt_code", "opinion__state", "opinion__closure_round")
        .first()
    )
    if visit is None:
        return None
    opinion = visit.opinion
    answers = OpinionAnswer.objects.filter(opinion_id=opinion.pk).select_related("organ_unit", "organ_region")
    return RatingLink(
        receipt_code=opinion.receipt_code,
        answers=tuple((answer.organ_name, answer.text, answer.created_at) for answer in answers),
        still_closed=opinion.state == Opinion.State.CLOSED and opinion.closure_round == visit.round,
    )
