"""Regions in the console: the tree list and writes through `services.region_save`."""

from django.urls import reverse

from congress.models import Event, Region
from tests.factories.congress import VillageFactory


def test_the_region_list_is_a_tree_in_path_order(client, login, staff_admin, district, town_a, town_b):
    village = VillageFactory(parent=town_a, code="350212001001", name="西柯村")
    login(client, staff_admin)

    response = client.get(reverse("console:regions"))

    assert list(response.context["page_obj"].object_list) == [district, town_a, village, town_b]
    assert b"ps-5" in response.content  # the village is indented two levels


def test_township_officer_sees_only_their_subtree(client, login, township_officer_a, town_a, town_b):
    village = VillageFactory(parent=town_a, code="350212001001", name="西柯村")
    login(client, township_officer_a)

    response = client.get(reverse("console:regions"))

    assert list(response.context["page_obj"].object_list) == [town_a, village]


def test_the_region_list_filters_by_kind_and_parent(client, login, staff_admin, district, town_a, town_b):
    village = VillageFactory(parent=town_a, code="350212001001", name="西柯村")
    login(client, staff_admin)

    streets = client.get(reverse("console:regions"), {"kind": "street"})
    inside_a = client.get(reverse("console:regions"), {"parent": town_a.pk})

    assert list(streets.context["page_obj"].object_list) == [town_a, town_b]
    assert list(inside_a.context["page_obj"].object_list) == [village]


def test_staff_admin_creates_a_village_whose_path_follows_its_parent(client, login, staff_admin, town_a):
    login(client, staff_admin)

    response = client.post(
        reverse("console:region_create"),
        {"parent": town_a.pk, "code": "350212001009", "name": "新村", "kind": Region.Kind.VILLAGE},
    )

    assert response.status_code == 302
    village = Region.objects.get(code="350212001009")
    assert village.path == f"{town_a.path}350212001009/"
    assert Event.objects.for_object(village).get().verb == "created"


def test_a_scoped_admin_must_choose_a_parent(client, login, staff_admin):
    login(client, staff_admin)

    response = client.post(
        reverse("console:region_create"), {"code": "999999", "name": "另一个区", "kind": Region.Kind.DISTRICT}
    )

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Region.objects.filter(code="999999").exists()


def test_moving_a_region_moves_its_subtree(client, login, staff_admin, town_a, town_b):
    village = VillageFactory(parent=town_a, code="350212001001", name="西柯村")
    login(client, staff_admin)

    response = client.post(
        reverse("console:region_edit", args=[village.pk]),
        {"parent": town_b.pk, "code": village.code, "name": village.name, "kind": village.kind},
    )

    assert response.status_code == 302
    village.refresh_from_db()
    assert village.path.startswith(town_b.path)


def test_a_region_cannot_be_put_under_itself(client, login, staff_admin, town_a):
    village = VillageFactory(parent=town_a, code="350212001001", name="西柯村")
    login(client, staff_admin)

    response = client.post(
        reverse("console:region_edit", args=[town_a.pk]),
        {"parent": village.pk, "code": town_a.code, "name": town_a.name, "kind": town_a.kind},
    )

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    town_a.refresh_from_db()
    assert town_a.parent.kind == Region.Kind.DISTRICT


def test_member_cannot_edit_regions(client, login, member, town_a):
    login(client, member)

    assert client.get(reverse("console:region_edit", args=[town_a.pk])).status_code == 403
    assert client.get(reverse("console:regions")).status_code == 200
