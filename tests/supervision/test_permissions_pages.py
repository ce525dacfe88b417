"""Role × page matrix of the inquiry, evaluation and letters pages, and what each role's lists hold:
the office and the readers of the body see everything; a unit officer sees only its own unit's
evaluation and the letters routed to it; the others see nothing."""

import datetime

import pytest
from django.urls import reverse

from supervision import permissions, services
from supervision.models import LetterVisit, TopicKind

pytestmark = pytest.mark.django_db

PAGES = ("console:supervision:letter_list", "console:supervision:letter_create",
         "console:supervision:evaluation_list", "console:supervision:inquiry_list")


@pytest.mark.parametrize(
    ("persona", "statuses"),
    [
        ("staff_clerk", (200, 200, 200, 200)),
        ("staff_admin", (200, 200, 200, 200)),
        ("leader", (200, 403, 200, 200)),
        ("member", (200, 403, 200, 200)),
        ("auditor", (200, 403, 200, 200)),
        ("unit_officer", (200, 403, 200, 200)),
        ("township_officer_a", (403, 403, 200, 200)),
        ("deputy_user", (403, 403, 403, 403)),
        ("station_keeper", (403, 403, 403, 403)),
    ],
)
def test_page_matrix(request, client, login, persona, statuses):
    login(client, request.getfixturevalue(persona))
    assert tuple(client.get(reverse(name)).status_code for name in PAGES) == statuses


def test_anonymous_visitors_are_sent_to_the_login(client):
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 302


@pytest.fixture
def scoped_data(plan, staff_clerk, district_body, health_bureau, district):
    from tests.factories.congress import UnitFactory

    education = UnitFactory(region=district, name="教育局")
    evaluations = {}
    for unit in (health_bureau, education):
        topic = services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.WORK_EVALUATION,
                                      title=f"评议{unit.name}")
        evaluations[unit.pk] = services.evaluation_create(actor=staff_clerk, topic=topic, unit=unit, year=2027)
    letters = {}
    for unit in (health_bureau, education, None):
        letter = services.letter_register(actor=staff_clerk, body=district_body, kind=LetterVisit.Kind.VISIT,
                                          received_on=datetime.date(2026, 10, 1), theme="医疗", summary="内容")
        if unit is not None:
            services.letter_route(actor=staff_clerk, letter=letter, unit=unit)
        letters[unit.pk if unit else None] = letter
    return evaluations, letters


@pytest.mark.parametrize("persona", ["staff_clerk", "leader", "member", "auditor"])
def test_the_body_readers_see_every_evaluation_and_letter(request, persona, scoped_data):
    user = request.getfixturevalue(persona)
    evaluations, letters = scoped_data
    assert set(permissions.visible_evaluations(user)) == set(evaluations.values())
    assert set(permissions.visible_letters(user)) == set(letters.values())


def test_a_unit_sees_only_its_own_evaluation_and_the_letters_routed_to_it(unit_officer, health_bureau, scoped_data):
    evaluations, letters = scoped_data
    assert list(permissions.visible_evaluations(unit_officer)) == [evaluations[health_bureau.pk]]
    assert list(permissions.visible_letters(unit_officer)) == [letters[health_bureau.pk]]


@pytest.mark.parametrize("persona", ["township_officer_a", "deputy_user", "station_keeper"])
def test_other_roles_see_no_evaluation_and_no_letter(request, persona, scoped_data):
    user = request.getfixturevalue(persona)
    assert not permissions.visible_evaluations(user).exists()
    assert not permissions.visible_letters(user).exists()
