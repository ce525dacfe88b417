"""Writes to stations and their deputies."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import Body, Region
from congress.workflow import record_event
from contact_stations import permissions
from contact_stations.models import Station, StationDeputy
from deputies.models import Deputy

STATION_FIELDS = frozenset(
    {"kind", "name", "industry", "address", "latitude", "longitude", "opening_hours", "keeper", "parent", "status"}
)


def _check_fields(fields: Mapping) -> None:
    unknown = set(fields) - STATION_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


def _validate(station: Station) -> None:
    if not station.region.path.startswith(station.body.region.path):
        raise ValidationError({"region": _("The station must lie within the congress’s region.")})
    if station.parent_id is not None:
        if station.parent_id == station.pk:
            raise ValidationError({"parent": _("A station cannot be its own parent.")})
        if not station.region.path.startswith(station.parent.region.path):
            raise ValidationError({"parent": _("The parent station must cover the station’s region.")})
    station.full_clean()


@transaction.atomic
def station_create(*, actor, body: Body, region: Region, kind: str, name: str, **fields) -> Station:
    """Open a station in `region`; it gets its random public code for QR links at once."""
    if not permissions.can_create_station_in(actor, region):
        raise PermissionDenied
    _check_fields(fields)
    station = Station(body=body, region=region, kind=kind, name=name, **fields)
    _validate(station)
    station.save()
    record_event(station, actor=actor, verb="created", to_state=station.status)
    return station


@transaction.atomic
def station_update(*, actor, station: Station, **changes) -> Station:
    if not permissions.can_manage_station(actor, station):
        raise PermissionDenied
    _check_fields(changes)
    station = Station.objects.select_for_update().get(pk=station.pk)
    before = {name: getattr(station, name if name not in ("keeper", "parent") else f"{name}_id") for name in changes}
    for name, value in changes.items():
        setattr(station, name, value)
    _validate(station)
    station.save()
    record_event(
        station,
        actor=actor,
        verb="updated",
        data={
            "fields": sorted(changes),
            "status": [before.get("status"), station.status] if "status" in changes else None,
        },
    )
    return station


@transaction.atomic
def station_regenerate_public_code(*, actor, station: Station) -> Station:
    """A new QR code, for when printed cards went astray; the old links stop working."""
    if not permissions.can_manage_station(actor, station):
        raise PermissionDenied
    from contact_stations.models import new_public_code

    station.public_code = new_public_code()
    station.save(update_fields=["public_code", "updated_at"])
    record_event(station, actor=actor, verb="public_code_regenerated")
    return station


@transaction.atomic
def station_assign_deputy(*, actor, station: Station, deputy: Deputy, since: datetime.date) -> StationDeputy:
    """Station a deputy (进站). Assigning a deputy already stationed there changes nothing."""
    if not permissions.can_manage_station(actor, station):
        raise PermissionDenied
    if not deputy.is_serving:
        raise ValidationError(_("Only a serving deputy can be stationed."))
    assignment, created = StationDeputy.objects.get_or_create(
        station=station, deputy=deputy, until__isnull=True, defaults={"since": since}
    )
    if created:
        record_event(station, actor=actor, verb="deputy_assigned", data={"deputy": deputy.pk, "since": str(since)})
    return assignment


@transaction.atomic
def station_release_deputy(*, actor, station: Station, deputy: Deputy, until: datetime.date) -> StationDeputy | None:
    if not permissions.can_manage_station(actor, station):
        raise PermissionDenied
    assignment = (
        StationDeputy.objects.select_for_update().filter(station=station, deputy=deputy, until__isnull=True).first()
    )
    if assignment is None:
        return None
    if until < assignment.since:
        raise ValidationError({"until": _("The end date is before the start of the assignment.")})
    assignment.until = until
    assignment.save(update_fields=["until", "updated_at"])
    record_event(station, actor=actor, verb="deputy_released", data={"deputy": deputy.pk, "until": str(until)})
    return assignment
