"""Bodies, their terms and sessions, and committees in the console."""

import datetime

from django.urls import reverse

from congress.models import Body, Committee, Event, Session, Term
from tests.factories.congress import SessionFactory, TermFactory


def test_the_body_list_shows_the_current_term(client, login, staff_clerk, district_body, township_body_a):
    login(client, staff_clerk)

    response = client.get(reverse("console:bodies"))

    assert list(response.context["page_obj"].object_list) == [district_body, township_body_a]
    assert "18" in response.content.decode()


def test_township_officer_sees_only_their_townships_body(client, login, township_officer_a, township_body_b):
    login(client, township_officer_a)

    response = client.get(reverse("console:bodies"))

    assert [body.name for body in response.context["page_obj"]] == ["大同街道人民代表大会"]
    assert client.get(reverse("console:body_detail", args=[township_body_b.pk])).status_code == 404


def test_the_body_page_lists_terms_with_their_sessions(
    client, login, staff_clerk, district_body, django_assert_max_num_queries
):
    term = Term.objects.get(body=district_body)
    SessionFactory(term=term, number=1)
    SessionFactory(term=term, number=2, kind=Session.Kind.STANDING_COMMITTEE)
    TermFactory(body=district_body, number=17, is_current=False, starts_on=datetime.date(2016, 10, 1))
    login(client, staff_clerk)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("console:body_detail", args=[district_body.pk]))

    body = response.context["body"]
    assert [term.number for term in body.terms.all()] == [18, 17]
    assert len(body.terms.all()[0].sessions.all()) == 2


def test_staff_admin_adds_a_term_and_a_second_current_term_is_refused(client, login, staff_admin, district_body):
    login(client, staff_admin)
    url = reverse("console:term_create", args=[district_body.pk])

    refused = client.post(url, {"number": 19, "starts_on": "2026-10-01", "is_current": "on"})
    accepted = client.post(url, {"number": 19, "starts_on": "2026-10-01"})

    assert refused.status_code == 200
    assert refused.context["form"].errors
    assert accepted.status_code == 302
    term = Term.objects.get(body=district_body, number=19)
    assert Event.objects.for_object(term).get().actor == staff_admin


def test_staff_admin_adds_a_session_to_a_term(client, login, staff_admin, district_body):
    term = Term.objects.get(body=district_body)
    login(client, staff_admin)

    response = client.post(
        reverse("console:session_create", args=[term.pk]),
        {"kind": Session.Kind.CONGRESS, "number": 5, "starts_on": "2026-01-10"},
    )

    assert response.status_code == 302
    assert Session.objects.filter(term=term, number=5).exists()


def test_staff_admin_creates_a_township_body(client, login, staff_admin, district_body, town_b):
    login(client, staff_admin)

    response = client.post(
        reverse("console:body_create"),
        {"name": "祥平街道人民代表大会", "level": Body.Level.TOWNSHIP, "region": town_b.pk, "parent": district_body.pk},
    )

    assert response.status_code == 302
    assert Body.objects.get(region=town_b).parent == district_body


def test_leader_cannot_add_a_term(client, login, leader, district_body):
    login(client, leader)

    response = client.post(
        reverse("console:term_create", args=[district_body.pk]), {"number": 19, "starts_on": "2026-10-01"}
    )

    assert response.status_code == 403
    assert not Term.objects.filter(number=19).exists()


def test_committees_are_listed_by_body_and_created_by_staff_admins(
    client, login, staff_admin, committee, township_body_a
):
    login(client, staff_admin)

    created = client.post(
        reverse("console:committee_create"),
        {"body": township_body_a.pk, "name": "代表工作委员会", "kind": Committee.Kind.WORKING, "is_active": "on"},
    )
    filtered = client.get(reverse("console:committees"), {"body": committee.body_id})

    assert created.status_code == 302
    assert list(filtered.context["page_obj"].object_list) == [committee]


def test_committee_kind_filter_ignores_unknown_values(client, login, staff_clerk, committee):
    login(client, staff_clerk)

    response = client.get(reverse("console:committees"), {"kind": "<script>"})

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [committee]
