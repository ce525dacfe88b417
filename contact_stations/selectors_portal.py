"""Reads of the deputy portal's station pages: my stations, my duty shifts, my opinions.

Everything is keyed by the logged-in user's own serving mandates, so another deputy's shift or
opinion is simply not found (a 404 in the views).
"""

import datetime

from django.db.models import Prefetch, Q

from contact_stations import selectors
from contact_stations.models import DutyShift, Opinion, OpinionAnswer, ShiftDuty, Station, StationDeputy
from deputies.selectors_directory import my_mandates

PAST_SHIFTS = 20


def my_stations(user):
    return (
        StationDeputy.objects.current()
        .filter(deputy__in=my_mandates(user), station__status=Station.Status.ACTIVE)
        .select_related("station__region", "deputy")
        .order_by("station__region__path", "station__name")
    )


def _my_duties(user):
    return ShiftDuty.objects.filter(deputy__in=my_mandates(user)).select_related(
        "shift__station__region", "deputy"
    )


def my_upcoming_duties(user, *, today: datetime.date):
    """Shifts from today on that are planned or announced (today's, until the keeper closes it)."""
    return (
        _my_duties(user)
        .filter(shift__date__gte=today, shift__state__in=[DutyShift.State.PLANNED, DutyShift.State.PUBLISHED])
        .order_by("shift__date", "shift__start_time", "pk")
    )


def my_past_duties(user, *, today: datetime.date, limit: int = PAST_SHIFTS):
    return (
        _my_duties(user)
        .filter(
            Q(shift__date__lt=today) | Q(shift__state__in=[DutyShift.State.HELD, DutyShift.State.CANCELLED])
        )
        .order_by("-shift__date", "-shift__start_time", "-pk")[:limit]
    )


def my_duty(user, shift_pk: int) -> ShiftDuty:
    """The user's own duty at a shift, or DoesNotExist."""
    duty = _my_duties(user).filter(shift_id=shift_pk).order_by("pk").first()
    if duty is None:
        raise ShiftDuty.DoesNotExist
    return duty


def _mine(user):
    return Q(deputy__user=user) | Q(recorded_by=user) | Q(follow_up_deputy__user=user)


def my_opinions(user):
    """Opinions addressed to the deputy (their card), brought by them, or passed to them."""
    return selectors.opinions_for(user).filter(_mine(user)).order_by("-received_on", "-pk")


def my_opinion(user, pk: int) -> Opinion:
    return (
        my_opinions(user)
        .prefetch_related(
            Prefetch("answers", queryset=OpinionAnswer.objects.select_related("organ_unit", "organ_region"))
        )
        .get(pk=pk)
    )
