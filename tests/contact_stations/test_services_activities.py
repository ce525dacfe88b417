"""Station activities count for the deputies taking part."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from contact_stations import services
from contact_stations.models import StationActivity
from deputies.models import ActivityKind, DutyActivity, DutyParticipation


def test_go_out_activity_is_a_voter_visit_on_each_participants_record(
    station_a, station_keeper, stationed_deputy, other_deputy
):
    activity = services.station_activity_create(
        actor=station_keeper, station=station_a, kind=StationActivity.Kind.GO_OUT, title="走访西山社区老旧小区",
        date=datetime.date(2026, 11, 20), participants=[stationed_deputy, other_deputy], outcome="收集意见6条",
    )
    services.station_activity_add_participants(actor=station_keeper, activity=activity, deputies=[stationed_deputy])

    duty = DutyActivity.objects.get()
    assert duty.kind == ActivityKind.VOTER_VISIT and duty.source_object == activity
    assert set(DutyParticipation.objects.values_list("deputy", flat=True)) == {stationed_deputy.pk, other_deputy.pk}


def test_other_town_cannot_record_activities_here(station_a, township_officer_b):
    with pytest.raises(PermissionDenied):
        services.station_activity_create(
            actor=township_officer_b, station=station_a, kind="themed", title="代表有约",
            date=datetime.date(2026, 11, 1),
        )
