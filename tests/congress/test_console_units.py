"""Handling units in the console: scoped lists, creation by staff admins only."""

from django.urls import reverse

from congress.models import Event, Unit
from tests.factories.congress import UnitFactory


def test_staff_admin_creates_a_unit_and_the_event_is_recorded(client, login, staff_admin, district):
    login(client, staff_admin)

    response = client.post(
        reverse("console:unit_create"),
        {"name": "同安区教育局", "short_name": "教育局", "kind": Unit.Kind.DEPARTMENT, "region": district.pk,
         "is_active": "on"},
    )

    assert response.status_code == 302
    unit = Unit.objects.get(name="同安区教育局")
    assert unit.region == district
    event = Event.objects.for_object(unit).get()
    assert (event.verb, event.actor) == ("created", staff_admin)


def test_a_duplicate_unit_name_in_the_same_region_is_refused_on_the_form(client, login, staff_admin, health_bureau):
    login(client, staff_admin)

    response = client.post(
        reverse("console:unit_create"),
        {"name": health_bureau.name, "kind": Unit.Kind.DEPARTMENT, "region": health_bureau.region_id},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Unit.objects.filter(name=health_bureau.name).count() == 1


def test_clerk_cannot_create_a_unit(client, login, staff_clerk, district):
    login(client, staff_clerk)

    assert client.get(reverse("console:unit_create")).status_code == 403
    response = client.post(
        reverse("console:unit_create"), {"name": "越权单位", "kind": Unit.Kind.DEPARTMENT, "region": district.pk}
    )

    assert response.status_code == 403
    assert not Unit.objects.filter(name="越权单位").exists()


def test_clerk_reads_the_unit_list_without_edit_links(client, login, staff_clerk, health_bureau):
    login(client, staff_clerk)

    response = client.get(reverse("console:units"))

    assert response.status_code == 200
    assert health_bureau in response.context["page_obj"].object_list
    assert reverse("console:unit_edit", args=[health_bureau.pk]).encode() not in response.content


def test_township_officer_sees_only_the_units_of_their_town(
    client, login, township_officer_a, health_bureau, town_a_government, town_b_government
):
    login(client, township_officer_a)

    response = client.get(reverse("console:units"))

    assert list(response.context["page_obj"].object_list) == [town_a_government]
    assert town_b_government.name.encode() not in response.content


def test_unit_officer_sees_only_their_own_unit(client, login, unit_officer, health_bureau, town_a_government):
    login(client, unit_officer)

    response = client.get(reverse("console:units"))

    assert list(response.context["page_obj"].object_list) == [health_bureau]


def test_staff_admin_cannot_edit_a_unit_outside_the_scope(client, login, town_a, town_b):
    from congress.models.accounts import Role
    from tests.factories.congress import TownshipBodyFactory, user_with_role

    body_a = TownshipBodyFactory(region=town_a)
    township_admin = user_with_role(Role.STAFF_ADMIN, username="town_a_admin", body=body_a)
    other = UnitFactory(region=town_b, name="祥平街道办事处")
    login(client, township_admin)

    response = client.post(
        reverse("console:unit_edit", args=[other.pk]), {"name": "改名", "kind": other.kind, "region": town_a.pk}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "祥平街道办事处"


def test_the_unit_list_filters_by_kind_and_paginates(client, login, staff_admin, district):
    for number in range(30):
        UnitFactory(region=district, name=f"部门{number:02d}", kind=Unit.Kind.DEPARTMENT)
    UnitFactory(region=district, name="同安区人民法院", kind=Unit.Kind.COURT)
    login(client, staff_admin)

    courts = client.get(reverse("console:units"), {"kind": Unit.Kind.COURT})
    page_two = client.get(reverse("console:units"), {"kind": Unit.Kind.DEPARTMENT, "page": 2})

    assert [unit.name for unit in courts.context["page_obj"]] == ["同安区人民法院"]
    assert page_two.context["page_obj"].number == 2
    assert len(page_two.context["page_obj"].object_list) == 5
    assert b"kind=department&amp;page=1" in page_two.content


def test_the_unit_list_costs_a_fixed_number_of_queries(
    client, login, staff_admin, district, django_assert_max_num_queries
):
    for number in range(25):
        UnitFactory(region=district, name=f"部门{number:02d}")
    login(client, staff_admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("console:units"))

    assert len(response.context["page_obj"].object_list) == 25


def test_staff_admin_edits_a_unit(client, login, staff_admin, health_bureau):
    login(client, staff_admin)

    response = client.post(
        reverse("console:unit_edit", args=[health_bureau.pk]),
        {"name": health_bureau.name, "short_name": "卫健", "kind": health_bureau.kind,
         "region": health_bureau.region_id},
    )

    assert response.status_code == 302
    health_bureau.refresh_from_db()
    assert health_bureau.short_name == "卫健"
    assert health_bureau.is_active is False  # an unticked box deactivates
    assert Event.objects.for_object(health_bureau).get().data == {"changed": ["is_active", "short_name"]}
