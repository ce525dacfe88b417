"""Who sees which part of the institution: scopes by persona (DESIGN §2, SECURITY S3)."""

import pytest
from django.utils import timezone

from congress import permissions
from congress.models import RoleGrant
from congress.models.accounts import Role
from tests.factories.congress import (
    DistrictFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
    VillageFactory,
    user_with_role,
)


@pytest.fixture
def village_a(town_a):
    return VillageFactory(parent=town_a, code="350212001001", name="西柯村")


@pytest.fixture
def village_b(town_b):
    return VillageFactory(parent=town_b, code="350212002001", name="祥平村")


@pytest.fixture
def other_district(db):
    # A neighbouring district hosted on the same platform (DESIGN §2: a whole city's bodies).
    return DistrictFactory(code="350211", name="集美区")


@pytest.fixture
def region_tree(district, town_a, town_b, village_a, village_b, other_district):
    return {
        "district": district,
        "town_a": town_a,
        "town_b": town_b,
        "village_a": village_a,
        "village_b": village_b,
        "other_district": other_district,
    }


def _names(queryset):
    return sorted(str(item) for item in queryset)


def test_township_officer_sees_only_their_town_subtree(region_tree, township_officer_a):
    assert permissions.region_paths(township_officer_a) == [region_tree["town_a"].path]
    assert set(permissions.visible_regions(township_officer_a)) == {region_tree["town_a"], region_tree["village_a"]}


def test_township_officers_of_two_towns_do_not_see_each_other(region_tree, township_officer_a, township_officer_b):
    assert region_tree["village_b"] not in permissions.visible_regions(township_officer_a)
    assert region_tree["village_a"] not in permissions.visible_regions(township_officer_b)


def test_township_officer_sees_only_their_towns_body_and_units(
    township_officer_a, district_body, township_body_a, township_body_b,
    health_bureau, town_a_government, town_b_government,
):
    assert list(permissions.visible_bodies(township_officer_a)) == [township_body_a]
    assert list(permissions.visible_units(township_officer_a)) == [town_a_government]


def test_district_staff_see_the_whole_district_but_not_a_neighbouring_one(region_tree, staff_admin, staff_clerk):
    district_regions = {region for name, region in region_tree.items() if name != "other_district"}

    for person in (staff_admin, staff_clerk):
        assert permissions.region_paths(person) == [region_tree["district"].path]
        assert set(permissions.visible_regions(person)) == district_regions


def test_district_staff_see_every_body_and_unit_of_the_district(
    staff_admin, district_body, township_body_a, township_body_b,
    health_bureau, town_a_government, town_b_government,
):
    assert set(permissions.visible_bodies(staff_admin)) == {district_body, township_body_a, township_body_b}
    assert set(permissions.visible_units(staff_admin)) == {health_bureau, town_a_government, town_b_government}


def test_system_admin_and_superuser_see_everything(region_tree, system_admin):
    superuser = UserFactory(is_superuser=True)

    for person in (system_admin, superuser):
        assert permissions.region_paths(person) is None
        assert set(permissions.visible_regions(person)) == set(region_tree.values())


def test_unit_officer_sees_only_their_own_unit(unit_officer, health_bureau, town_a_government, town_b_government):
    other_district_unit = UnitFactory(region=health_bureau.region, name="同安区教育局")

    assert list(permissions.visible_units(unit_officer)) == [health_bureau]
    assert other_district_unit not in permissions.visible_units(unit_officer)


def test_unit_officer_with_a_second_role_also_sees_that_roles_scope(
    unit_officer, town_a, health_bureau, town_a_government, town_b_government
):
    RoleGrant.objects.create(user=unit_officer, role=Role.TOWNSHIP_OFFICER, region=town_a)

    assert set(permissions.visible_units(unit_officer)) == {health_bureau, town_a_government}


def test_deputy_sees_the_bodies_regions_but_cannot_use_the_console(region_tree, deputy_user):
    assert permissions.can_use_portal(deputy_user)
    assert not permissions.can_use_console(deputy_user)
    assert permissions.can_use_api(deputy_user)
    assert region_tree["village_b"] in permissions.visible_regions(deputy_user)
    assert region_tree["other_district"] not in permissions.visible_regions(deputy_user)


def test_a_user_without_roles_sees_nothing(region_tree, district_body, health_bureau):
    nobody = UserFactory()

    assert permissions.region_paths(nobody) == []
    assert not permissions.can_use_api(nobody)
    assert not permissions.visible_regions(nobody).exists()
    assert not permissions.visible_bodies(nobody).exists()
    assert not permissions.visible_units(nobody).exists()
    assert not permissions.visible_committees(nobody).exists()


def test_a_revoked_grant_gives_nothing(region_tree, township_officer_a):
    RoleGrant.objects.filter(user=township_officer_a).update(revoked_at=timezone.now())
    township_officer_a._role_grants_cache = None  # a new request

    assert permissions.roles(township_officer_a) == set()
    assert not permissions.can_use_console(township_officer_a)
    assert not permissions.visible_regions(township_officer_a).exists()


def test_a_deactivated_user_is_refused_everywhere(region_tree, staff_admin):
    staff_admin.is_active = False

    assert not permissions.can_use_console(staff_admin)
    assert not permissions.can_use_api(staff_admin)
    assert not permissions.can_manage_institution(staff_admin)
    assert not permissions.visible_regions(staff_admin).exists()


def test_committees_follow_the_body_scope(committee, township_officer_a, staff_clerk):
    assert list(permissions.visible_committees(staff_clerk)) == [committee]
    assert not permissions.visible_committees(township_officer_a).exists()


def test_committee_scoped_clerk_reaches_the_committees_body(district, town_a, committee):
    clerk = user_with_role(Role.STAFF_CLERK, committee=committee)

    assert permissions.region_paths(clerk) == [district.path]


def test_grants_are_loaded_once_per_user_object(staff_admin, django_assert_num_queries):
    permissions.grants(staff_admin)

    with django_assert_num_queries(0):
        permissions.region_paths(staff_admin)
        permissions.can_manage_institution(staff_admin)
        permissions.can_use_console(staff_admin)


def test_path_filter_does_not_match_a_sibling_whose_code_shares_a_prefix(town_a, township_officer_a):
    # "/350212/350212001/" must not reach "/350212/3502120011/".
    lookalike = RegionFactory(parent=town_a.parent, code="3502120011", name="相似代码", kind="town")

    assert lookalike not in permissions.visible_regions(township_officer_a)


@pytest.mark.parametrize(
    ("persona", "manage_institution", "manage_users", "read_audit", "console", "portal"),
    [
        ("staff_admin", True, True, False, True, False),
        ("staff_clerk", False, False, False, True, False),
        ("leader", False, False, False, True, False),
        ("member", False, False, False, True, False),
        ("deputy_user", False, False, False, False, True),
        ("unit_officer", False, False, False, True, False),
        ("township_officer_a", False, False, False, True, False),
        ("station_keeper", False, False, False, True, False),
        ("auditor", False, False, True, True, False),
        ("system_admin", True, True, True, True, False),
    ],
)
def test_institution_predicates_by_persona(request, persona, manage_institution, manage_users, read_audit, console,
                                           portal):
    user = request.getfixturevalue(persona)

    assert permissions.can_manage_institution(user) is manage_institution
    assert permissions.can_manage_users(user) is manage_users
    assert permissions.can_read_audit(user) is read_audit
    assert permissions.can_use_console(user) is console
    assert permissions.can_use_portal(user) is portal
    assert permissions.visible_users(user).exists() is manage_users


def test_anonymous_is_refused_by_every_predicate(db):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()

    assert not permissions.can_use_console(anonymous)
    assert not permissions.can_use_portal(anonymous)
    assert not permissions.can_use_api(anonymous)
    assert not permissions.visible_regions(anonymous).exists()
