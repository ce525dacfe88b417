"""Scope of stations and opinions per persona (SECURITY S3)."""

import pytest

from contact_stations import permissions, services
from contact_stations.models import Opinion
from tests.factories.stations import OpinionFactory


@pytest.fixture
def opinions(station_a, station_b, staff_clerk, health_bureau, stationed_deputy):
    in_a = OpinionFactory(station=station_a)
    in_b = OpinionFactory(station=station_b)
    to_unit = OpinionFactory(station=station_b)
    services.opinion_pass_to_unit(actor=staff_clerk, opinion=to_unit, unit=health_bureau)
    for_deputy = OpinionFactory(station=station_b, deputy=stationed_deputy)
    return {"in_a": in_a, "in_b": in_b, "to_unit": to_unit, "for_deputy": for_deputy}


def visible(user, opinions):
    pks = set(permissions.visible_opinions(user).values_list("pk", flat=True))
    return {name for name, opinion in opinions.items() if opinion.pk in pks}


def test_each_persona_sees_only_its_opinions(
    opinions, staff_clerk, township_officer_a, township_officer_b, station_keeper, unit_officer, deputy_user,
    auditor, leader,
):
    assert visible(staff_clerk, opinions) == set(opinions)
    assert visible(leader, opinions) == set(opinions)
    assert visible(township_officer_a, opinions) == {"in_a"}
    assert visible(station_keeper, opinions) == {"in_a"}
    assert visible(township_officer_b, opinions) == {"in_b", "to_unit", "for_deputy"}
    assert visible(unit_officer, opinions) == {"to_unit"}
    assert visible(deputy_user, opinions) == {"for_deputy"}
    assert visible(auditor, opinions) == set()


def test_stations_are_scoped_by_region_and_assignment(
    station_a, station_b, town_room_a, township_officer_a, unit_officer, deputy_user, stationed_deputy, staff_clerk
):
    assert set(permissions.visible_stations(township_officer_a)) == {station_a, town_room_a}
    assert set(permissions.visible_stations(staff_clerk)) == {station_a, station_b, town_room_a}
    assert set(permissions.visible_stations(deputy_user)) == {station_a}
    assert not permissions.visible_stations(unit_officer).exists()


def test_the_keeper_runs_shifts_but_does_not_edit_the_station(station_a, station_keeper, township_officer_a):
    assert permissions.can_run_shift(station_keeper, station_a)
    assert not permissions.can_manage_station(station_keeper, station_a)
    assert permissions.can_manage_station(township_officer_a, station_a)


def test_anonymous_sees_nothing(opinions):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.visible_opinions(AnonymousUser()).exists()
    assert Opinion.objects.count() == 4


# ---- a stationed deputy routes only what they see (DESIGN §6) ---------------------------------


def test_a_stationed_deputy_routes_an_opinion_addressed_to_them(station_a, stationed_deputy, deputy_user):
    addressed = OpinionFactory(station=station_a, deputy=stationed_deputy)

    assert permissions.can_view_opinion(deputy_user, addressed)
    assert permissions.can_route(deputy_user, addressed, Opinion.State.PASSED_TO_TOWN)
    services.opinion_pass_to_town(actor=deputy_user, opinion=addressed)
    addressed.refresh_from_db()
    assert addressed.state == Opinion.State.PASSED_TO_TOWN


def test_a_stationed_deputy_routes_an_opinion_they_brought(station_a, stationed_deputy, deputy_user):
    brought = OpinionFactory(station=station_a, recorded_by=deputy_user, source=Opinion.Source.RECEPTION)

    assert permissions.can_view_opinion(deputy_user, brought)
    assert permissions.can_route(deputy_user, brought, Opinion.State.PASSED_TO_DISTRICT)
    assert permissions.can_route(deputy_user, brought, Opinion.State.ANSWERED_ON_SPOT)


def test_a_stationed_deputy_neither_sees_nor_routes_another_opinion_of_their_station(
    station_a, stationed_deputy, other_deputy, deputy_user
):
    from congress.workflow import TransitionForbidden

    from_qr = OpinionFactory(station=station_a)
    for_colleague = OpinionFactory(station=station_a, deputy=other_deputy)

    for opinion in (from_qr, for_colleague):
        assert not permissions.can_view_opinion(deputy_user, opinion)
        for route in (Opinion.State.PASSED_TO_TOWN, Opinion.State.PASSED_TO_DISTRICT, Opinion.State.ANSWERED_ON_SPOT):
            assert not permissions.can_route(deputy_user, opinion, route)
        assert not permissions.can_route(
            deputy_user, opinion, Opinion.State.TURNED_INTO_SUGGESTION, deputy=stationed_deputy
        )
    with pytest.raises(TransitionForbidden):
        services.opinion_pass_to_town(actor=deputy_user, opinion=from_qr)
    from_qr.refresh_from_db()
    assert from_qr.state == Opinion.State.RECEIVED
