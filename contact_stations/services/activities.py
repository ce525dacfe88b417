"""Station activities: 请进来 / 走出去 events and themed activities, counted in the duty record."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress.images import validate_photo
from congress.workflow import record_event
from contact_stations import permissions
from contact_stations.models import Station, StationActivity, StationActivityPhoto
from deputies.models import ActivityKind, Deputy
from deputies.services import record_duty_activity

# 走出去 is a visit to voters; inviting people in and themed days (代表有约) are receptions.
DUTY_KIND = {
    StationActivity.Kind.BRING_IN: ActivityKind.STATION_RECEPTION,
    StationActivity.Kind.GO_OUT: ActivityKind.VOTER_VISIT,
    StationActivity.Kind.THEMED: ActivityKind.STATION_RECEPTION,
}


@transaction.atomic
def station_activity_create(
    *,
    actor,
    station: Station,
    kind: str,
    title: str,
    date: datetime.date,
    participants: Iterable[Deputy] = (),
    theme: str = "",
    place: str = "",
    description: str = "",
    outcome: str = "",
    citizen_count: int | None = None,
) -> StationActivity:
    """Record an activity held by a station; each deputy taking part gets it on their duty record."""
    if not permissions.can_record_activity(actor, station):
        raise PermissionDenied
    participants = list(participants)
    if any(not deputy.is_serving for deputy in participants):
        raise ValidationError({"participants": _("Only serving deputies can take part.")})
    activity = StationActivity(
        station=station, kind=kind, title=title, theme=theme, date=date, place=place, description=description,
        outcome=outcome, citizen_count=citizen_count, created_by=actor,
    )
    activity.full_clean()
    activity.save()
    activity.participants.set(participants)
    record_event(activity, actor=actor, verb="created", data={"participants": [deputy.pk for deputy in participants]})
    for deputy in participants:
        record_duty_activity(
            deputy=deputy, kind=DUTY_KIND[kind], date=date, title=title, source_object=activity, actor=actor
        )
    return activity


@transaction.atomic
def station_activity_add_participants(
    *, actor, activity: StationActivity, deputies: Iterable[Deputy]
) -> StationActivity:
    if not permissions.can_record_activity(actor, activity.station):
        raise PermissionDenied
    for deputy in deputies:
        activity.participants.add(deputy)
        record_duty_activity(
            deputy=deputy, kind=DUTY_KIND[activity.kind], date=activity.date, title=activity.title,
            source_object=activity, actor=actor,
        )
    record_event(activity, actor=actor, verb="participants_added")
    return activity


@transaction.atomic
def station_activity_add_photo(*, actor, activity: StationActivity, image, caption: str = "") -> StationActivityPhoto:
    """Attach a photo: a JPEG, PNG or WebP of at most 5 MB by its bytes, stored under a random
    name (SECURITY S16)."""
    if not permissions.can_record_activity(actor, activity.station):
        raise PermissionDenied
    try:
        validate_photo(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None
    caption = (caption or "").strip()[:200]
    photo = StationActivityPhoto.objects.create(activity=activity, image=image, caption=caption, uploaded_by=actor)
    record_event(activity, actor=actor, verb="photo_added", data={"photo": photo.pk})
    return photo


@transaction.atomic
def station_activity_set_public(*, actor, activity: StationActivity, is_public: bool) -> StationActivity:
    """Publish the activity (and its photos) on the station's public page, or take it off."""
    if not permissions.can_record_activity(actor, activity.station):
        raise PermissionDenied
    activity = StationActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_public == is_public:
        return activity  # a repeated click changes nothing and records nothing
    activity.is_public = is_public
    activity.save(update_fields=["is_public", "updated_at"])
    record_event(activity, actor=actor, verb="made_public" if is_public else "made_private")
    return activity
