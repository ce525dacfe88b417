"""A citizen's phone on the console opinion page: masked by default, shown in full only to the
office with a stated reason, POST only, logged as a security line and on the timeline (S17, S18)."""

import pytest

from congress.models import Event
from contact_stations import services
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import OpinionFactory

MASKED = "139****5678"


@pytest.fixture
def opinion_a(station_a):
    return OpinionFactory(station=station_a, citizen_name="李四", citizen_phone=CITIZEN_PHONE)


def _detail(opinion):
    return f"/console/stations/opinions/{opinion.pk}/"


def _unmask(opinion):
    return f"/console/stations/opinions/{opinion.pk}/unmask-phone/"


def test_the_opinion_page_shows_the_masked_phone_and_the_unmask_form_to_the_towns_officer(
    client, login, township_officer_a, opinion_a
):
    page = login(client, township_officer_a).get(_detail(opinion_a)).content.decode()

    assert MASKED in page and CITIZEN_PHONE not in page
    assert _unmask(opinion_a) in page


def test_the_towns_officer_sees_the_phone_in_full_with_a_reason_and_it_is_logged(
    client, login, township_officer_a, opinion_a, security_lines
):
    login(client, township_officer_a)

    response = client.post(_unmask(opinion_a), {"unmask-reason": "电话回访核实情况"})

    assert response.status_code == 200
    assert CITIZEN_PHONE in response.content.decode()
    (line,) = security_lines("unmask")
    assert line["object"] == f"contact_stations.opinion:{opinion_a.pk}"
    assert line["field"] == "citizen_phone" and line["reason"] == "电话回访核实情况"
    assert line["username"] == township_officer_a.username
    assert CITIZEN_PHONE not in str(line)
    event = Event.objects.for_object(opinion_a).get(verb="unmasked")
    assert event.actor == township_officer_a and event.note == "电话回访核实情况"
    # The next plain visit is masked again.
    assert CITIZEN_PHONE not in client.get(_detail(opinion_a)).content.decode()


def test_unmasking_without_a_reason_is_refused_with_a_message_and_nothing_logged(
    client, login, township_officer_a, opinion_a, security_lines
):
    response = login(client, township_officer_a).post(_unmask(opinion_a), {"unmask-reason": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert CITIZEN_PHONE not in page and "此项为必填项" in page
    assert not security_lines("unmask")
    assert not Event.objects.for_object(opinion_a).filter(verb="unmasked").exists()


def test_unmasking_is_post_only(client, login, township_officer_a, opinion_a, security_lines):
    response = login(client, township_officer_a).get(_unmask(opinion_a), {"unmask-reason": "核实"})

    assert response.status_code == 405
    assert not security_lines("unmask")


def test_the_keeper_reads_the_opinion_but_may_not_unmask_and_the_refusal_is_logged(
    client, login, station_keeper, opinion_a, security_lines
):
    login(client, station_keeper)
    page = client.get(_detail(opinion_a)).content.decode()

    response = client.post(_unmask(opinion_a), {"unmask-reason": "想看看"})

    assert MASKED in page and _unmask(opinion_a) not in page
    assert response.status_code == 403
    assert CITIZEN_PHONE not in response.content.decode()
    assert not security_lines("unmask")
    assert security_lines("permission_denied")
    assert not Event.objects.for_object(opinion_a).filter(verb="unmasked").exists()


def test_another_towns_officer_does_not_find_the_opinion(client, login, township_officer_b, opinion_a, security_lines):
    response = login(client, township_officer_b).post(_unmask(opinion_a), {"unmask-reason": "核实"})

    assert response.status_code == 404
    assert not security_lines("unmask")


def test_the_service_returns_the_full_phone_only_with_a_reason(staff_clerk, opinion_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.opinion_unmask_phone(actor=staff_clerk, opinion=opinion_a, reason="")

    assert services.opinion_unmask_phone(actor=staff_clerk, opinion=opinion_a, reason="核实") == CITIZEN_PHONE
    assert Event.objects.for_object(opinion_a).get(verb="unmasked").data == {"field": "citizen_phone"}
