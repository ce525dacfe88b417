"""Console pages of stations, rosters, shifts and activities: each role in its scope."""

import datetime

import pytest
from django.utils import timezone

from congress.models import Event
from contact_stations.models import DutyShift, RosterRule, ShiftDuty, Station, StationActivity, StationDeputy
from deputies.models import DutyActivity
from tests.factories.deputies import DeputyFactory
from tests.factories.stations import (
    DutyShiftFactory,
    RosterRuleFactory,
    ShiftDutyFactory,
    StationDeputyFactory,
    StationFactory,
)

BASE = "/console/stations/"


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(BASE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_township_officer_lists_only_their_towns_stations(
    client, login, station_a, town_room_a, station_b, township_officer_a
):
    response = login(client, township_officer_a).get(BASE)

    assert response.status_code == 200
    names = {station.name for station in response.context["page_obj"]}
    assert names == {station_a.name, town_room_a.name}
    assert "Contact stations" in response.content.decode() or "联络站" in response.content.decode()


def test_station_list_query_count_does_not_grow_with_the_stations(
    client, login, township_body_a, village_a, township_officer_a, django_assert_max_num_queries
):
    login(client, township_officer_a)
    for index in range(5):
        StationFactory(body=township_body_a, region=village_a, name=f"少{index}")
    with django_assert_max_num_queries(14) as few:
        client.get(BASE)
    for index in range(45):
        StationFactory(body=township_body_a, region=village_a, name=f"多{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(BASE)
    assert len(response.context["page_obj"]) == 50


def test_another_towns_station_is_404(client, login, station_b, township_officer_a):
    login(client, township_officer_a)
    assert client.get(f"{BASE}{station_b.pk}/").status_code == 404
    assert client.get(f"{BASE}{station_b.pk}/edit/").status_code == 404


def test_township_officer_opens_a_station_in_their_town(
    client, login, township_body_a, village_a, station_keeper, township_officer_a
):
    response = login(client, township_officer_a).post(
        f"{BASE}new/",
        {"body": township_body_a.pk, "region": village_a.pk, "kind": "village_station", "name": "新村代表联络站",
         "address": "新村1号", "keeper": station_keeper.pk},
    )

    station = Station.objects.get(name="新村代表联络站")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{station.pk}/"
    assert (station.region, station.keeper, station.body) == (village_a, station_keeper, township_body_a)
    assert Event.objects.for_object(station).get().verb == "created"


def test_a_township_officer_cannot_open_a_station_in_another_town(
    client, login, township_body_a, village_b, township_officer_a
):
    response = login(client, township_officer_a).post(
        f"{BASE}new/", {"body": township_body_a.pk, "region": village_b.pk, "kind": "village_station", "name": "越界站"}
    )

    assert response.status_code == 200  # the form again, with the region refused
    assert not Station.objects.filter(name="越界站").exists()


@pytest.mark.parametrize("persona", ["leader", "station_keeper", "unit_officer", "auditor"])
def test_readers_and_keepers_cannot_create_or_edit_stations(persona, client, login, station_a, request):
    login(client, request.getfixturevalue(persona))

    assert client.get(f"{BASE}new/").status_code == 403
    assert client.post(f"{BASE}{station_a.pk}/edit/", {"name": "改名"}).status_code in (403, 404)
    station_a.refresh_from_db()
    assert station_a.name == "西山社区代表联络站"


def test_deputies_do_not_use_the_console(client, login, stationed_deputy, deputy_user, station_a):
    login(client, deputy_user)
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}{station_a.pk}/").status_code == 403


def test_township_officer_edits_a_station_and_assigns_and_releases_a_deputy(
    client, login, station_a, township_body_a, township_officer_a
):
    township_deputy = DeputyFactory(body=township_body_a, name="陈代表")
    login(client, township_officer_a)

    edited = client.post(
        f"{BASE}{station_a.pk}/edit/",
        {"kind": "village_station", "name": "西山社区代表联络站", "address": "西山路8号", "status": "suspended",
         "keeper": station_a.keeper_id},
    )
    assigned = client.post(
        f"{BASE}{station_a.pk}/deputies/assign/", {"deputy": township_deputy.pk, "since": "2026-01-05"}
    )
    released = client.post(f"{BASE}{station_a.pk}/deputies/{township_deputy.pk}/release/", {"until": "2026-06-30"})

    assert edited.status_code == assigned.status_code == released.status_code == 302
    station_a.refresh_from_db()
    assert (station_a.address, station_a.status) == ("西山路8号", Station.Status.SUSPENDED)
    assignment = StationDeputy.objects.get(station=station_a, deputy=township_deputy)
    assert (assignment.since, assignment.until) == (datetime.date(2026, 1, 5), datetime.date(2026, 6, 30))
    verbs = list(Event.objects.for_object(station_a).values_list("verb", flat=True))
    assert verbs == ["updated", "deputy_assigned", "deputy_released"]


def test_station_detail_query_count_is_bounded(
    client, login, station_a, township_body_a, township_officer_a, django_assert_max_num_queries
):
    login(client, township_officer_a)

    def grow(count):
        for _index in range(count):
            deputy = DeputyFactory(body=township_body_a)
            StationDeputyFactory(station=station_a, deputy=deputy)
            RosterRuleFactory(station=station_a, deputies=[deputy])
            shift = DutyShiftFactory(station=station_a, date=timezone.localdate() + datetime.timedelta(days=10))
            ShiftDutyFactory(shift=shift, deputy=deputy)
            activity = StationActivity.objects.create(
                station=station_a, kind="bring_in", title="请进来", date="2026-03-01"
            )
            activity.participants.add(deputy)

    grow(2)
    with django_assert_max_num_queries(40) as few:
        client.get(f"{BASE}{station_a.pk}/")
    grow(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}{station_a.pk}/")
    assert len(response.context["assignments"]) == 10


# ---- rosters and shifts --------------------------------------------------------------------------


def test_township_officer_adds_a_roster_rule_and_generates_next_years_shifts(
    client, login, station_a, stationed_deputy, township_officer_a
):
    login(client, township_officer_a)
    created = client.post(
        f"{BASE}{station_a.pk}/roster/new/",
        {"kind": "reception", "day_of_month": 25, "start_time": "09:00", "end_time": "11:30",
         "deputies": [stationed_deputy.pk]},
    )
    rule = RosterRule.objects.get(station=station_a)
    year = timezone.localdate().year + 1

    client.post(f"{BASE}roster-rules/{rule.pk}/generate/", {"year": year})
    client.post(f"{BASE}roster-rules/{rule.pk}/generate/", {"year": year})  # twice adds nothing

    assert created.status_code == 302
    shifts = DutyShift.objects.filter(station=station_a, date__year=year)
    assert shifts.count() == 12
    assert ShiftDuty.objects.filter(shift__in=shifts, deputy=stationed_deputy).count() == 12


def test_the_keeper_cannot_change_the_roster(client, login, station_a, station_keeper):
    rule = RosterRuleFactory(station=station_a)
    login(client, station_keeper)

    assert client.get(f"{BASE}{station_a.pk}/roster/new/").status_code == 403
    assert client.post(f"{BASE}roster-rules/{rule.pk}/generate/", {"year": 2027}).status_code == 403
    assert not DutyShift.objects.exists()


def test_the_keeper_announces_and_records_a_held_shift_with_visitors_and_no_shows(
    client, login, station_a, stationed_deputy, other_deputy, station_keeper
):
    today = timezone.localdate()
    shift = DutyShiftFactory(station=station_a, date=today, state=DutyShift.State.PUBLISHED, notice_published_on=today)
    ShiftDutyFactory(shift=shift, deputy=stationed_deputy)
    ShiftDutyFactory(shift=shift, deputy=other_deputy)
    login(client, station_keeper)

    page = client.get(f"{BASE}shifts/{shift.pk}/")
    held = client.post(f"{BASE}shifts/{shift.pk}/hold/", {"present": [stationed_deputy.pk], "visitor_count": 17})

    assert page.status_code == 200 and held.status_code == 302
    shift.refresh_from_db()
    assert (shift.state, shift.visitor_count) == (DutyShift.State.HELD, 17)
    present = ShiftDuty.objects.get(shift=shift, deputy=stationed_deputy)
    absent = ShiftDuty.objects.get(shift=shift, deputy=other_deputy)
    assert present.checked_in_at is not None and not present.no_show
    assert absent.no_show and absent.checked_in_at is None
    # The deputy present has the reception on their duty record; the no-show has not.
    assert DutyActivity.objects.filter(participations__deputy=stationed_deputy).count() == 1
    assert not DutyActivity.objects.filter(participations__deputy=other_deputy).exists()


def test_publishing_too_late_is_refused_with_a_message(client, login, station_a, stationed_deputy, station_keeper):
    shift = DutyShiftFactory(station=station_a, date=timezone.localdate() + datetime.timedelta(days=1))
    ShiftDutyFactory(shift=shift, deputy=stationed_deputy)

    response = login(client, station_keeper).post(f"{BASE}shifts/{shift.pk}/publish/", follow=True)

    shift.refresh_from_db()
    assert shift.state == DutyShift.State.PLANNED
    assert [str(message) for message in response.context["messages"]]


def test_another_towns_keeper_cannot_run_the_shift(client, login, station_b, station_keeper):
    shift = DutyShiftFactory(station=station_b, date=timezone.localdate(), state=DutyShift.State.PUBLISHED)

    response = login(client, station_keeper).post(f"{BASE}shifts/{shift.pk}/hold/", {"visitor_count": 3})

    assert response.status_code == 404
    shift.refresh_from_db()
    assert shift.state == DutyShift.State.PUBLISHED


# ---- activities ----------------------------------------------------------------------------------


def test_the_keeper_records_an_activity_that_counts_for_the_deputies(
    client, login, station_a, stationed_deputy, station_keeper
):
    login(client, station_keeper)
    response = client.post(
        f"{BASE}{station_a.pk}/activities/new/",
        {"kind": "themed", "title": "代表有约：垃圾分类", "date": "2026-04-10", "participants": [stationed_deputy.pk],
         "citizen_count": 30},
    )

    assert response.status_code == 302
    activity = StationActivity.objects.get()
    assert (activity.kind, activity.citizen_count, list(activity.participants.all())) == (
        "themed", 30, [stationed_deputy]
    )
    assert DutyActivity.objects.filter(participations__deputy=stationed_deputy).count() == 1
    listing = client.get(f"{BASE}activities/")
    assert [item.pk for item in listing.context["page_obj"]] == [activity.pk]


def test_another_towns_officer_cannot_record_an_activity(client, login, station_a, township_officer_b):
    response = login(client, township_officer_b).post(
        f"{BASE}{station_a.pk}/activities/new/", {"kind": "go_out", "title": "走访", "date": "2026-04-10"}
    )

    assert response.status_code == 404
    assert not StationActivity.objects.exists()
