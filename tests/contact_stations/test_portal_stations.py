"""The deputy portal's station pages: my stations and shifts, checking in on the day, my
opinions, and an opinion recorded from a visit. Everything is scoped to the deputy's own mandates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Event
from contact_stations.models import DutyShift, Opinion, ShiftDuty
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import DutyShiftFactory, OpinionFactory, ShiftDutyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_shift(station_a, stationed_deputy):
    shift = DutyShiftFactory(station=station_a, date=timezone.localdate(), state=DutyShift.State.PUBLISHED)
    ShiftDutyFactory(shift=shift, deputy=stationed_deputy)
    return shift


@pytest.fixture
def other_deputy_shift(station_a, other_deputy):
    shift = DutyShiftFactory(station=station_a, date=timezone.localdate(), state=DutyShift.State.PUBLISHED)
    ShiftDutyFactory(shift=shift, deputy=other_deputy)
    return shift


def test_home_lists_my_stations_and_my_upcoming_and_past_shifts(
    client, login, deputy_user, station_a, stationed_deputy, today_shift, other_deputy_shift,
    django_assert_max_num_queries,
):
    past = DutyShiftFactory(station=station_a, date=timezone.localdate() - datetime.timedelta(days=30),
                            state=DutyShift.State.HELD)
    ShiftDutyFactory(shift=past, deputy=stationed_deputy, checked_in_at=timezone.now() - datetime.timedelta(days=30))
    login(client, deputy_user)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("portal:stations:home"))

    assert response.status_code == 200
    assert [assignment.station for assignment in response.context["assignments"]] == [station_a]
    assert [duty.shift for duty in response.context["upcoming"]] == [today_shift]
    assert response.context["upcoming"][0].can_check_in
    assert [duty.shift for duty in response.context["past"]] == [past]
    assert reverse("portal:stations:check_in", args=[today_shift.pk]) in response.content.decode()


def test_deputy_checks_in_to_their_shift_on_the_day(client, login, deputy_user, stationed_deputy, today_shift):
    login(client, deputy_user)

    response = client.post(reverse("portal:stations:check_in", args=[today_shift.pk]))
    again = client.post(reverse("portal:stations:check_in", args=[today_shift.pk]))

    assert response.status_code == 302 and again.status_code == 302
    duty = ShiftDuty.objects.get(shift=today_shift, deputy=stationed_deputy)
    assert duty.checked_in_at and duty.checked_in_by == deputy_user
    assert Event.objects.for_object(today_shift).filter(verb="checked_in").count() == 1


def test_check_in_before_the_day_is_refused_with_a_message(client, login, deputy_user, station_a, stationed_deputy):
    shift = DutyShiftFactory(station=station_a, date=timezone.localdate() + datetime.timedelta(days=3),
                             state=DutyShift.State.PUBLISHED)
    ShiftDutyFactory(shift=shift, deputy=stationed_deputy)
    login(client, deputy_user)

    response = client.post(reverse("portal:stations:check_in", args=[shift.pk]), follow=True)

    assert not ShiftDuty.objects.get(shift=shift).checked_in_at
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_another_deputys_shift_is_404(client, login, deputy_user, stationed_deputy, other_deputy_shift):
    login(client, deputy_user)

    response = client.post(reverse("portal:stations:check_in", args=[other_deputy_shift.pk]))

    assert response.status_code == 404
    assert not ShiftDuty.objects.get(shift=other_deputy_shift).checked_in_at


def test_check_in_needs_post(client, login, deputy_user, today_shift):
    login(client, deputy_user)

    assert client.get(reverse("portal:stations:check_in", args=[today_shift.pk])).status_code == 405


def test_staff_without_a_mandate_cannot_use_the_portal_pages(client, login, staff_admin, today_shift):
    login(client, staff_admin)

    assert client.get(reverse("portal:stations:home")).status_code == 403
    assert client.post(reverse("portal:stations:check_in", args=[today_shift.pk])).status_code == 403


def test_my_opinions_are_those_addressed_to_me_or_brought_by_me(
    client, login, deputy_user, stationed_deputy, other_deputy, station_a, django_assert_max_num_queries
):
    addressed = OpinionFactory(station=station_a, deputy=stationed_deputy, citizen_phone=CITIZEN_PHONE,
                               citizen_name="张女士")
    brought = OpinionFactory(station=station_a, recorded_by=deputy_user, source=Opinion.Source.DEPUTY_VISIT)
    OpinionFactory(station=station_a, deputy=other_deputy)  # someone else's
    OpinionFactory(station=station_a)  # nobody's in particular
    login(client, deputy_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:stations:opinions"))
    detail = client.get(reverse("portal:stations:opinion", args=[addressed.pk]))

    assert {opinion.pk for opinion in response.context["page_obj"]} == {addressed.pk, brought.pk}
    assert detail.status_code == 200
    body = detail.content.decode()
    assert CITIZEN_PHONE not in body and "139****5678" in body  # masked
    assert "no-store" in detail["Cache-Control"] or "max-age=0" in detail["Cache-Control"]


def test_another_deputys_opinion_is_404(client, login, deputy_user, stationed_deputy, other_deputy, station_a):
    theirs = OpinionFactory(station=station_a, deputy=other_deputy)
    login(client, deputy_user)

    assert client.get(reverse("portal:stations:opinion", args=[theirs.pk])).status_code == 404


def test_deputy_records_an_opinion_from_a_visit(client, login, deputy_user, stationed_deputy, station_a):
    login(client, deputy_user)
    assert client.get(reverse("portal:stations:record_opinion")).status_code == 200

    response = client.post(
        reverse("portal:stations:record_opinion"),
        {
            "content": "走访时村民反映村道坑洼，雨天积水严重。",
            "category": Opinion.Category.TRANSPORT,
            "place": "西山社区后巷",
            "received_on": timezone.localdate().isoformat(),
            "station": station_a.pk,
            "citizen_name": "陈伯",
            "consent": "on",
        },
    )

    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:stations:opinion", args=[opinion.pk])
    assert (opinion.source, opinion.recorded_by, opinion.deputy) == (
        Opinion.Source.DEPUTY_VISIT, deputy_user, stationed_deputy
    )
    assert opinion.station == station_a and opinion.consent_at and opinion.citizen_name == "陈伯"


def test_visit_opinion_without_a_station_belongs_to_the_deputy(client, login, deputy_user, stationed_deputy):
    login(client, deputy_user)

    response = client.post(
        reverse("portal:stations:record_opinion"),
        {"content": "群众反映菜市场噪音扰民。", "category": Opinion.Category.OTHER,
         "received_on": timezone.localdate().isoformat()},
    )

    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert opinion.station is None and opinion.deputy == stationed_deputy


def test_visit_opinion_cannot_name_a_station_the_deputy_is_not_at(client, login, deputy_user, stationed_deputy,
                                                                   station_b):
    login(client, deputy_user)

    response = client.post(
        reverse("portal:stations:record_opinion"),
        {"content": "内容", "category": Opinion.Category.OTHER, "received_on": timezone.localdate().isoformat(),
         "station": station_b.pk},
    )

    assert response.status_code == 400 and "station" in response.context["form"].errors
    assert not Opinion.objects.exists()


def test_visit_opinion_with_contact_needs_consent(client, login, deputy_user, stationed_deputy):
    login(client, deputy_user)

    response = client.post(
        reverse("portal:stations:record_opinion"),
        {"content": "内容", "category": Opinion.Category.OTHER, "received_on": timezone.localdate().isoformat(),
         "citizen_phone": CITIZEN_PHONE},
    )

    assert response.status_code == 400 and "consent" in response.context["form"].errors
    assert not Opinion.objects.exists()
