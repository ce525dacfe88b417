"""The demo seed: the district it builds, its determinism, and its refusal outside DEBUG; the
DemoDistrict the apps' demo builders receive, and the order in which the command calls them."""

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from congress import demo as congress_demo
from congress.demo import DemoDistrict
from congress.management.commands import seed_demo
from congress.models import Body, Committee, Region, RoleGrant, Session, Term, Unit, User
from congress.models.accounts import Role
from deputies.models import Deputy

pytestmark = pytest.mark.django_db


def run_seed(tmp_path, *args, apps=False):
    """Run the command; without `apps` only the institution and the accounts (the apps' demo data
    has its own tests in tests/<app>/test_demo.py and one full run below)."""
    out = io.StringIO()
    extra = () if apps else ("--institution-only",)
    call_command("seed_demo", *args, *extra, "--logins-file", str(tmp_path / "logins.txt"), stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the seed chose at random or in order, keyed by natural keys (never by pk)."""
    return {
        "regions": list(Region.objects.order_by("code").values_list("code", "name", "kind", "path")),
        "terms": list(Term.objects.order_by("body__region__code", "number").values_list("body__name", "starts_on")),
        "sessions": sorted(
            Session.objects.values_list("term__body__region__code", "kind", "number", "starts_on", "ends_on")
        ),
        "units": sorted(Unit.objects.values_list("region__code", "name", "kind", "parent__name")),
        "users": list(User.objects.order_by("username").values_list("username", "full_name")),
    }


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_builds_the_district_its_towns_and_their_villages(debug_on, tmp_path):
    run_seed(tmp_path, "--password", "Demo-pass-2026")

    district = Region.objects.get(code="350212")
    assert district.name == "同安区" and district.kind == Region.Kind.DISTRICT
    towns = Region.objects.filter(parent=district)
    assert towns.count() == 10
    assert {"大同街道", "祥平街道", "五显镇", "汀溪镇"} <= set(towns.values_list("name", flat=True))
    villages = Region.objects.filter(kind__in=[Region.Kind.VILLAGE, Region.Kind.COMMUNITY])
    assert villages.count() == 125
    assert not villages.filter(parent__isnull=True).exists()
    assert all(town.children.exists() for town in towns)
    # Materialised paths are right, so subtree queries see every village under its town.
    assert Region.objects.subtree(district).count() == 136
    assert sum(Region.objects.subtree(town).count() - 1 for town in towns) == 125


def test_seed_builds_the_congresses_terms_sessions_committees_and_units(debug_on, tmp_path):
    run_seed(tmp_path, "--password", "Demo-pass-2026")

    district_body = Body.objects.get(level=Body.Level.DISTRICT)
    assert district_body.region.code == "350212"
    assert district_body.terms.get(is_current=True).number == 18
    township_bodies = Body.objects.filter(level=Body.Level.TOWNSHIP)
    assert township_bodies.count() == 10
    assert set(township_bodies.values_list("parent", flat=True)) == {district_body.pk}
    assert Term.objects.filter(is_current=True).count() == 11
    assert Session.objects.filter(term__body=district_body, kind=Session.Kind.CONGRESS).count() == 6
    assert Session.objects.filter(term__body__level=Body.Level.TOWNSHIP).count() == 70

    committee_names = set(Committee.objects.filter(body=district_body).values_list("name", flat=True))
    assert {"法制委员会", "财政经济委员会", "教育科学文化卫生工作委员会", "办公室"} <= committee_names
    assert len(committee_names) == len(congress_demo.COMMITTEES)

    assert Unit.objects.get(kind=Unit.Kind.GOVERNMENT).name == "同安区人民政府"
    assert Unit.objects.get(short_name="卫健局").parent.name == "同安区人民政府"
    assert Unit.objects.filter(name="同安区行政审批管理局", short_name="审批管理局").exists()
    for kind in (Unit.Kind.SUPERVISORY, Unit.Kind.COURT, Unit.Kind.PROCURATORATE):
        assert Unit.objects.filter(kind=kind).count() == 1
    assert Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).count() == 10
    assert Unit.objects.filter(region__code="350212").count() >= 25


def test_seed_creates_one_scoped_account_per_role_with_the_given_password(debug_on, tmp_path):
    out = run_seed(tmp_path, "--password", "Demo-pass-2026")

    expected = {
        "admin": Role.STAFF_ADMIN,
        "clerk": Role.STAFF_CLERK,
        "leader": Role.LEADER,
        "member": Role.MEMBER,
        "deputy": Role.DEPUTY,
        "unit": Role.UNIT_OFFICER,
        "township": Role.TOWNSHIP_OFFICER,
        "keeper": Role.STATION_KEEPER,
        "auditor": Role.AUDITOR,
        "sysadmin": Role.SYSTEM_ADMIN,
    }
    grants = dict(RoleGrant.objects.active().values_list("user__username", "role"))
    assert grants == expected
    assert RoleGrant.objects.get(user__username="unit").unit.short_name == "卫健局"
    assert RoleGrant.objects.get(user__username="township").region.name == "大同街道"
    keeper_region = RoleGrant.objects.get(user__username="keeper").region
    assert keeper_region.parent.name == "大同街道"
    assert keeper_region.kind in (Region.Kind.VILLAGE, Region.Kind.COMMUNITY)

    for user in User.objects.all():
        assert user.check_password("Demo-pass-2026"), user.username
    # A password the operator chose is not forced to change.
    assert not User.objects.filter(must_change_password=True).exists()
    for username in expected:
        assert username in out
    logins = (tmp_path / "logins.txt").read_text(encoding="utf-8")
    assert "admin" in logins and "Demo-pass-2026" in logins
    assert (tmp_path / "logins.txt").stat().st_mode & 0o077 == 0


def test_seed_without_a_password_sets_a_random_one_printed_for_this_machine(debug_on, settings, tmp_path):
    settings.DEMO_PASSWORD = ""
    run_seed(tmp_path)

    assert User.objects.count() == 10
    # Demo accounts work at once: the random password is this machine's own and the seed is DEBUG-only.
    assert not User.objects.filter(must_change_password=True).exists()
    logins = (tmp_path / "logins.txt").read_text(encoding="utf-8")
    username, password = logins.splitlines()[1].split()[:2]
    assert username == "admin"
    assert len(password) >= 12
    assert User.objects.get(username="admin").check_password(password)


def test_seed_is_deterministic_for_a_seed_and_varies_with_it(debug_on, tmp_path):
    def build(seed):
        with transaction.atomic():
            run_seed(tmp_path, "--seed", str(seed), "--password", "Demo-pass-2026")
            built = snapshot()
            transaction.set_rollback(True)
        return built

    first = build(7)
    assert len(first["regions"]) == 136
    assert build(7) == first
    assert build(8)["regions"] != first["regions"]


def test_seed_does_nothing_when_the_district_already_exists(debug_on, tmp_path):
    run_seed(tmp_path, "--password", "Demo-pass-2026")
    counts = (Region.objects.count(), Unit.objects.count(), User.objects.count())

    out = run_seed(tmp_path, "--password", "Demo-pass-2026")

    assert "already exists" in out
    assert (Region.objects.count(), Unit.objects.count(), User.objects.count()) == counts


def test_seed_if_empty_skips_a_database_that_has_users(debug_on, tmp_path, system_admin):
    out = run_seed(tmp_path, "--if-empty")

    assert "skipped" in out
    assert not Region.objects.filter(code="350212").exists()


def test_seed_refuses_without_debug_unless_forced(settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run_seed(tmp_path, "--password", "Demo-pass-2026")
    assert not Region.objects.exists()

    run_seed(tmp_path, "--password", "Demo-pass-2026", "--force")
    assert Region.objects.filter(code="350212").exists()


# ---- the whole seed, with the apps' demo data ------------------------------------------------


def test_seed_builds_each_apps_demo_data_in_order_after_the_institution(debug_on, tmp_path):
    out = run_seed(tmp_path, "--password", "Demo-pass-2026", apps=True)

    labels = [label for label, _module in seed_demo.demo_builders()]
    assert labels[0] == "deputies"
    assert labels == [label for label in seed_demo.DEMO_APPS if label in labels]
    # One line per app after the institution's, in the contract's order, each with its counts.
    lines = out.splitlines()
    assert lines[0].startswith("Built the demo district 同安区")
    assert [line.split(":")[0] for line in lines[1 : 1 + len(labels)]] == labels
    assert "223 district deputies, 446 township deputies" in lines[1]

    assert Deputy.objects.filter(body__level=Body.Level.DISTRICT).count() == 223
    assert Deputy.objects.filter(body__level=Body.Level.TOWNSHIP).count() == 446
    # The demo deputy and the member log in to their own mandates; the member is also a deputy.
    assert Deputy.objects.get(user__username="deputy").body.level == Body.Level.DISTRICT
    member = Deputy.objects.get(user__username="member")
    assert member.is_standing_committee_member
    assert set(RoleGrant.objects.active().filter(user__username="member").values_list("role", flat=True)) == {
        Role.MEMBER, Role.DEPUTY,
    }


# ---- DemoDistrict, what the apps' demo builders receive --------------------------------------


def test_demo_district_gives_the_apps_the_institution_and_the_accounts(db):
    demo = DemoDistrict(2026).build()
    demo.accounts(password="Demo-pass-2026")

    assert isinstance(demo.rng, random.Random)
    assert demo.body.level == Body.Level.DISTRICT and demo.term.is_current and demo.term.body == demo.body
    assert len(demo.towns) == 10 and len(demo.villages) == 125
    assert set(demo.township_bodies) == {town.code for town in demo.towns}
    for code, body in demo.township_bodies.items():
        assert body.region.code == code and body.parent == demo.body
    assert len(demo.units) == Unit.objects.count() == 35
    assert demo.health_bureau.short_name == "卫健局"
    assert demo.approval_bureau.name == "同安区行政审批管理局"
    assert set(demo.users) == {username for username, *_rest in congress_demo.PERSONAS}
    assert demo.users["deputy"].check_password("Demo-pass-2026")
    assert demo.counts == {
        "regions": 136, "bodies": 11, "terms": 12, "sessions": 88, "committees": 9, "units": 35, "users": 10,
    }


def test_demo_district_can_be_small_for_the_apps_tests(demo_district):
    assert [town.name for town in demo_district.towns] == ["大同街道", "祥平街道"]
    assert len(demo_district.villages) == 4
    assert all(any(v.parent_id == town.pk for v in demo_district.villages) for town in demo_district.towns)
    assert Region.objects.count() == 1 + 2 + 4
    assert set(demo_district.township_bodies) == {"350212001", "350212002"}
    # Units are the district's whole government, whatever the number of towns.
    assert demo_district.health_bureau.pk and demo_district.approval_bureau.pk
    assert RoleGrant.objects.get(user__username="keeper").region.parent == demo_district.demo_town
    # Sizes: the apps' real defaults unless the test asked for fewer.
    assert demo_district.size("district_deputies", 223) == 14
    assert demo_district.size("stations", 138) == 138


def test_each_app_gets_its_own_generator_from_the_seed(db):
    first, second = DemoDistrict(7), DemoDistrict(7)
    first.begin_app("deputies")
    second.begin_app("deputies")
    assert first.rng.random() == second.rng.random()
    second.begin_app("suggestions")
    first.begin_app("suggestions")
    assert first.rng.random() == second.rng.random()
    other = DemoDistrict(8)
    other.begin_app("suggestions")
    assert other.rng.random() != DemoDistrict(7).rng.random()


def test_demo_district_refuses_impossible_sizes():
    with pytest.raises(ValueError):
        DemoDistrict(towns=11)
    with pytest.raises(ValueError):
        DemoDistrict(towns=3, villages=2)
