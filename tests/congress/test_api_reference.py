"""Read endpoints for reference data: regions, bodies, committees, units.

Every list and detail is scoped to the caller's grants (SECURITY S3): a township officer of town A
neither sees nor can fetch town B's region, body, committee or unit, and list counts include only
the own scope. Lists paginate and accept `updated_since` for incremental sync.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from congress.models import Body, Committee, Region, Unit
from tests.factories.congress import CommitteeFactory, UnitFactory, UserFactory, VillageFactory


@pytest.fixture
def institution(district_body, township_body_a, township_body_b, committee, health_bureau, town_a_government,
                town_b_government):
    """Both towns with a village each, their congresses, a committee each, and their governments."""
    village_a = VillageFactory(parent=township_body_a.region, code="350212001001", name="西柯村")
    village_b = VillageFactory(parent=township_body_b.region, code="350212002001", name="祥平社区")
    committee_a = CommitteeFactory(body=township_body_a, name="大同街道人大财经小组")
    committee_b = CommitteeFactory(body=township_body_b, name="祥平街道人大财经小组")
    return {
        "village_a": village_a,
        "village_b": village_b,
        "committee_a": committee_a,
        "committee_b": committee_b,
    }


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


# ---- anonymous -------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["regions", "bodies", "committees", "units"])
def test_anonymous_gets_401_with_a_json_code(db, resource):
    response = APIClient().get(f"/api/v1/{resource}/")

    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": response.json()["detail"], "fields": {}}
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_person_without_a_role_is_refused(db, api_client_for):
    response = api_client_for(UserFactory(username="no-role")).get("/api/v1/regions/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# ---- scope: township officer of town A ---------------------------------------------------------


def test_township_officer_lists_only_regions_of_their_town(institution, township_officer_a, town_a, api_client_for,
                                                          django_assert_max_num_queries):
    client = api_client_for(township_officer_a)

    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/regions/")

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert _ids(response) == {town_a.pk, institution["village_a"].pk}
    assert response["Cache-Control"] == "no-store"


def test_township_officer_gets_404_for_the_other_towns_region(institution, township_officer_a, town_b, district,
                                                             api_client_for):
    client = api_client_for(township_officer_a)

    for region in (town_b, institution["village_b"], district):
        response = client.get(f"/api/v1/regions/{region.pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_township_officer_reads_a_region_of_their_town(institution, township_officer_a, api_client_for):
    village = institution["village_a"]

    response = api_client_for(township_officer_a).get(f"/api/v1/regions/{village.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": village.pk,
        "code": "350212001001",
        "name": "西柯村",
        "kind": "village",
        "parent": village.parent_id,
        "path": village.path,
        "updated_at": response.json()["updated_at"],
    }


def test_township_officer_sees_only_their_towns_body(institution, township_officer_a, township_body_a,
                                                     township_body_b, district_body, api_client_for,
                                                     django_assert_max_num_queries):
    client = api_client_for(township_officer_a)

    with django_assert_max_num_queries(5):
        listing = client.get("/api/v1/bodies/")

    assert listing.json()["count"] == 1
    assert listing.json()["results"][0]["id"] == township_body_a.pk
    assert listing.json()["results"][0]["region_code"] == township_body_a.region.code
    assert client.get(f"/api/v1/bodies/{township_body_a.pk}/").status_code == 200
    assert client.get(f"/api/v1/bodies/{township_body_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/bodies/{district_body.pk}/").status_code == 404


def test_township_officer_sees_only_their_towns_committees(institution, township_officer_a, committee,
                                                           api_client_for, django_assert_max_num_queries):
    client = api_client_for(township_officer_a)

    with django_assert_max_num_queries(5):
        listing = client.get("/api/v1/committees/")

    assert listing.json()["count"] == 1
    assert _ids(listing) == {institution["committee_a"].pk}
    assert client.get(f"/api/v1/committees/{institution['committee_a'].pk}/").status_code == 200
    assert client.get(f"/api/v1/committees/{institution['committee_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/committees/{committee.pk}/").status_code == 404


def test_township_officer_sees_only_their_towns_units(institution, township_officer_a, town_a_government,
                                                      town_b_government, health_bureau, api_client_for,
                                                      django_assert_max_num_queries):
    client = api_client_for(township_officer_a)

    with django_assert_max_num_queries(5):
        listing = client.get("/api/v1/units/")

    assert listing.json()["count"] == 1
    assert _ids(listing) == {town_a_government.pk}
    assert client.get(f"/api/v1/units/{town_a_government.pk}/").status_code == 200
    assert client.get(f"/api/v1/units/{town_b_government.pk}/").status_code == 404
    assert client.get(f"/api/v1/units/{health_bureau.pk}/").status_code == 404


def test_filtering_by_another_towns_id_finds_nothing_rather_than_an_error(institution, township_officer_a, town_b,
                                                                          township_body_b, api_client_for):
    client = api_client_for(township_officer_a)

    assert client.get("/api/v1/regions/", {"parent": town_b.pk}).json()["count"] == 0
    assert client.get("/api/v1/units/", {"region": town_b.pk}).json()["count"] == 0
    assert client.get("/api/v1/committees/", {"body": township_body_b.pk}).json()["count"] == 0


# ---- scope: other personas ---------------------------------------------------------------------


def test_unit_officer_sees_their_own_unit_only(institution, unit_officer, health_bureau, api_client_for):
    client = api_client_for(unit_officer)

    listing = client.get("/api/v1/units/")

    assert listing.json()["count"] == 1
    assert _ids(listing) == {health_bureau.pk}


def test_district_staff_see_the_whole_district(institution, staff_clerk, api_client_for):
    client = api_client_for(staff_clerk)

    assert client.get("/api/v1/regions/").json()["count"] == Region.objects.count()
    assert client.get("/api/v1/bodies/").json()["count"] == Body.objects.count()
    assert client.get("/api/v1/committees/").json()["count"] == Committee.objects.count()
    assert client.get("/api/v1/units/").json()["count"] == Unit.objects.count()


def test_a_logged_in_console_user_may_use_the_api_with_the_session(institution, staff_clerk, client, login):
    login(client, staff_clerk)

    response = client.get("/api/v1/bodies/")

    assert response.status_code == 200
    assert response.json()["count"] == Body.objects.count()


# ---- filters -----------------------------------------------------------------------------------


def test_natural_filters(institution, staff_clerk, town_a, township_body_a, api_client_for):
    client = api_client_for(staff_clerk)

    villages = client.get("/api/v1/regions/", {"kind": "village"})
    assert _ids(villages) == {institution["village_a"].pk, institution["village_b"].pk}
    children = client.get("/api/v1/regions/", {"parent": town_a.pk})
    assert _ids(children) == {institution["village_a"].pk}
    township = client.get("/api/v1/bodies/", {"level": "township"})
    assert len(_ids(township)) == 2
    in_town_a = client.get("/api/v1/bodies/", {"region": town_a.pk})
    assert _ids(in_town_a) == {township_body_a.pk}
    of_body = client.get("/api/v1/committees/", {"body": township_body_a.pk})
    assert _ids(of_body) == {institution["committee_a"].pk}
    governments = client.get("/api/v1/units/", {"kind": "township"})
    assert len(_ids(governments)) == 2


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/regions/", {"kind": "planet"}, "kind"),
        ("/api/v1/regions/", {"parent": "abc"}, "parent"),
        ("/api/v1/bodies/", {"updated_since": "yesterday"}, "updated_since"),
        # Valid ISO 8601, but before the first instant of the calendar once in UTC.
        ("/api/v1/units/", {"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ("/api/v1/units/", {"region": str(2**70)}, "region"),
    ],
)
def test_invalid_filter_values_are_400_with_field_messages(institution, staff_clerk, api_client_for, url, params,
                                                          field):
    response = api_client_for(staff_clerk).get(url, params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_updated_since_returns_only_rows_changed_since(institution, township_officer_a, town_a, api_client_for):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Region.objects.update(updated_at=long_ago)
    Unit.objects.update(updated_at=long_ago)
    village = institution["village_a"]
    village.name = "西柯村（新）"
    village.save()  # auto_now stamps the change
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    client = api_client_for(township_officer_a)

    regions = client.get("/api/v1/regions/", {"updated_since": since})
    units = client.get("/api/v1/units/", {"updated_since": since})

    assert _ids(regions) == {village.pk}
    assert units.json()["count"] == 0
    assert client.get("/api/v1/units/", {"updated_since": long_ago.isoformat()}).json()["count"] == 1


def test_updated_since_with_any_utc_offset_is_answered_not_crashed(institution, township_officer_a, api_client_for):
    # Schemathesis found it: PostgreSQL refuses offsets beyond ±15:59 in a timestamp literal.
    response = api_client_for(township_officer_a).get("/api/v1/units/", {"updated_since": "1954-06-07T21:44:18-16:32"})

    assert response.status_code == 200


# ---- pagination --------------------------------------------------------------------------------


def test_lists_paginate_by_page_and_page_size(institution, staff_clerk, district, api_client_for):
    for number in range(7):
        UnitFactory(region=district, name=f"测试局{number}")
    client = api_client_for(staff_clerk)
    total = Unit.objects.count()

    first = client.get("/api/v1/units/", {"page_size": 5})
    second = client.get(first.json()["next"])

    assert first.json()["count"] == total
    assert len(first.json()["results"]) == 5
    assert first.json()["previous"] is None
    assert len(second.json()["results"]) == min(5, total - 5)
    assert not _ids(first) & _ids(second)
    beyond = client.get("/api/v1/units/", {"page": 99})
    assert beyond.status_code == 404
    assert beyond.json()["code"] == "not_found"


def test_page_size_is_capped(institution, staff_clerk, api_client_for):
    response = api_client_for(staff_clerk).get("/api/v1/regions/", {"page_size": 100000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == Region.objects.count()


def test_read_endpoints_refuse_writes(institution, staff_admin, town_a, api_client_for):
    client = api_client_for(staff_admin)

    post = client.post("/api/v1/regions/", {"code": "1", "name": "x", "kind": "town"}, format="json")
    patch = client.patch(f"/api/v1/regions/{town_a.pk}/", {"name": "改名"}, format="json")

    assert post.status_code == 405
    assert post.json()["code"] == "method_not_allowed"
    assert patch.status_code == 405
    town_a.refresh_from_db()
    assert town_a.name == "大同街道"


@pytest.mark.parametrize("resource", ["regions", "bodies", "committees", "units"])
def test_an_id_beyond_any_integer_is_404_not_a_crash(institution, staff_clerk, api_client_for, resource):
    response = api_client_for(staff_clerk).get(f"/api/v1/{resource}/{2**70}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
