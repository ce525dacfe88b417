"""The contact stations' demo data (contact_stations.demo), built on the small demo district with its
deputies (tests/conftest.py `demo_deputies`): every station kind inside the district, deputies
stationed, a year of shifts with no-shows and duty activities, opinions in every state with
unique receipt codes and blind-indexed phones, return visits with a 不满意 reopened."""

import pytest
from django.db import connection, transaction

from congress.fields import blind_index
from congress.models import Event
from contact_stations import demo as stations_demo
from contact_stations.models import (
    DutyShift,
    Opinion,
    Rating,
    ReturnVisit,
    RosterRule,
    ShiftDuty,
    Station,
    StationActivity,
    StationDeputy,
)
from deputies.models import ActivityKind, Deputy, DutyActivity

pytestmark = pytest.mark.django_db

SIZES = {"opinions": 260, "station_activities": 4}


@pytest.fixture
def demo_stations(demo_deputies):
    demo_deputies.sizes.update(SIZES)
    demo_deputies.begin_app("contact_stations")
    stations_demo.build(demo_deputies)
    return demo_deputies


def test_one_station_per_village_and_town_room_plus_the_centre_and_two_industry_stations(demo_stations):
    demo = demo_stations
    stations = Station.objects.all()
    assert stations.count() == 1 + len(demo.towns) + len(demo.villages) + 2 == len(demo.stations)
    assert stations.filter(kind=Station.Kind.EXCHANGE_CENTRE).count() == 1
    assert stations.filter(kind=Station.Kind.INDUSTRY_STATION).count() == 2
    assert set(stations.filter(kind=Station.Kind.VILLAGE_STATION).values_list("region", flat=True)) == {
        village.pk for village in demo.villages
    }
    for station in stations:
        lat_low, lat_high = stations_demo.LAT_RANGE
        lon_low, lon_high = stations_demo.LON_RANGE
        assert lat_low <= float(station.latitude) <= lat_high and lon_low <= float(station.longitude) <= lon_high
        assert station.opening_hours
    # The demo keeper keeps the station of their village.
    kept = Station.objects.get(keeper=demo.users["keeper"])
    assert kept.kind == Station.Kind.VILLAGE_STATION and kept.region.parent == demo.demo_town
    assert Event.objects.filter(verb="created", object_id__in=[str(s.pk) for s in stations]).count() >= len(stations)


def test_every_district_deputy_is_stationed_in_their_town(demo_stations):
    demo = demo_stations
    for deputy in Deputy.objects.filter(body=demo.body).select_related("constituency__region"):
        region = deputy.constituency.region
        town = region if region.is_township else region.parent
        assert StationDeputy.objects.current().filter(
            deputy=deputy, station__region__path__startswith=town.path
        ).exists(), deputy


def test_a_year_of_shifts_on_the_25th_with_no_shows_and_reception_activities(demo_stations):
    demo = demo_stations
    assert RosterRule.objects.filter(day_of_month=25).count() == len(demo.villages)
    assert DutyShift.objects.filter(state=DutyShift.State.HELD).exists()
    held = DutyShift.objects.filter(state=DutyShift.State.HELD)
    assert not held.filter(visitor_count__isnull=True).exists()
    assert ShiftDuty.objects.filter(no_show=True).exists()
    assert not ShiftDuty.objects.filter(shift__state=DutyShift.State.HELD, no_show=False,
                                        checked_in_at__isnull=True).exists()
    # Every deputy present at a held shift has the station-reception activity keyed by the shift.
    present = ShiftDuty.objects.filter(shift__state=DutyShift.State.HELD, checked_in_at__isnull=False)
    for duty in present[:50]:
        assert DutyActivity.objects.filter(
            kind=ActivityKind.STATION_RECEPTION, source_object_id=str(duty.shift_id), participations__deputy=duty.deputy
        ).exists()
    assert StationActivity.objects.count() == SIZES["station_activities"]


def test_opinions_reach_every_state_with_unique_codes_and_blind_indexed_phones(demo_stations):
    opinions = Opinion.objects.all()
    assert opinions.count() == SIZES["opinions"]
    assert set(opinions.values_list("state", flat=True)) == set(Opinion.State.values)
    assert set(opinions.values_list("source", flat=True)) == set(Opinion.Source.values)
    assert opinions.values("receipt_code").distinct().count() == opinions.count()
    with_phone = [o for o in opinions if o.citizen_phone]
    assert with_phone
    for opinion in with_phone[:20]:
        # bulk_create runs the fields' pre_save and get_prep_value: indexed and sealed at rest.
        assert opinion.citizen_phone_index == blind_index(opinion.citizen_phone)
        with connection.cursor() as cursor:
            cursor.execute("SELECT citizen_phone FROM contact_stations_opinion WHERE id = %s", [opinion.pk])
            stored = cursor.fetchone()[0]
        assert stored and opinion.citizen_phone not in stored
    # Some are overdue, every one has its "received" event.
    assert opinions.filter(state__in=Opinion.AWAITING_ANSWER, answer_due__lt=demo_today(demo_stations)).exists()
    assert Event.objects.filter(verb="received").count() >= opinions.count()
    # Closed ones have their return visit; 不满意 reopened the item.
    for opinion in opinions.filter(state=Opinion.State.CLOSED):
        assert opinion.return_visits.filter(round=opinion.closure_round).exists()
    reopened = opinions.filter(state=Opinion.State.REOPENED)
    assert reopened.exists()
    assert ReturnVisit.objects.filter(opinion__in=reopened, rating=Rating.UNSATISFIED).count() == reopened.count()


def demo_today(demo):
    return stations_demo.StationsDemo(demo, year=stations_demo.DEMO_YEAR).today


def test_the_keeper_and_the_township_officer_have_work_waiting(demo_stations):
    demo = demo_stations
    kept = Station.objects.get(keeper=demo.users["keeper"])
    assert kept.opinions.filter(state__in=[Opinion.State.RECEIVED, Opinion.State.ACKNOWLEDGED]).exists()
    assert Opinion.objects.filter(state=Opinion.State.PASSED_TO_UNIT, passed_to_unit=demo.health_bureau).exists()
    assert Opinion.objects.filter(duplicate_of__isnull=False).exists()


def snapshot(demo):
    names = ("stations", "station assignments", "shifts", "shifts held", "no-shows", "opinions", "return visits")
    return (
        {name: demo.counts[name] for name in names},
        # The services' own opinions (at the keeper's station, or brought by a deputy) draw their
        # receipt codes from `secrets`, as every real opinion does; the bulk ones from the seed.
        sorted(
            Opinion.objects.filter(station__keeper__isnull=True, station__isnull=False)
            .values_list("receipt_code", "state", "received_on", "citizen_phone_index")
        ),
    )


def test_the_same_seed_builds_the_same_data(demo_deputies):
    """Build, roll back, build again from the same seed: the same counts, codes and states."""
    demo_deputies.sizes.update(SIZES)
    savepoint = transaction.savepoint()
    demo_deputies.begin_app("contact_stations")
    stations_demo.build(demo_deputies)
    first = snapshot(demo_deputies)
    transaction.savepoint_rollback(savepoint)
    assert not Opinion.objects.exists()
    demo_deputies.begin_app("contact_stations")
    stations_demo.build(demo_deputies)
    assert snapshot(demo_deputies) == first
    assert first[0]["opinions"] == SIZES["opinions"]
