"""Writes to the institution: regions, users, roles, API tokens and the calendar (DESIGN §2, SECURITY S9/S10)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from rest_framework.exceptions import AuthenticationFailed

from congress import services
from congress.authentication import ApiTokenAuthentication, token_digest
from congress.models import ApiToken, Event, Region, RoleGrant, User, WorkingDayOverride
from congress.models.accounts import Role
from tests.factories.congress import UserFactory


def _verbs(obj):
    return [event.verb for event in Event.objects.for_object(obj)]


def _session_owners():
    return sorted(session.get_decoded().get("_auth_user_id") for session in Session.objects.all())


# ---- regions -------------------------------------------------------------------------------


@pytest.fixture
def tree(staff_admin):
    """A district, two towns and a village with a hamlet below it, all written by the service."""

    def save(code, name, kind, parent=None):
        return services.region_save(actor=staff_admin, region=Region(code=code, name=name, kind=kind, parent=parent))

    district = save("350299", "测试区", Region.Kind.DISTRICT)
    town_a = save("350299001", "甲镇", Region.Kind.TOWN, district)
    town_b = save("350299002", "乙镇", Region.Kind.TOWN, district)
    village = save("350299001001", "一村", Region.Kind.VILLAGE, town_a)
    community = save("350299001099", "一村社区", Region.Kind.COMMUNITY, village)
    return {"district": district, "town_a": town_a, "town_b": town_b, "village": village, "community": community}


def test_region_save_derives_the_path_from_the_parent(tree, staff_admin):
    assert tree["district"].path == "/350299/"
    assert tree["community"].path == "/350299/350299001/350299001001/350299001099/"
    assert _verbs(tree["village"]) == ["created"]
    assert Event.objects.for_object(tree["village"]).get().actor == staff_admin


def test_moving_a_region_moves_the_paths_of_its_whole_subtree(tree, staff_admin):
    village = tree["village"]
    village.parent = tree["town_b"]

    services.region_save(actor=staff_admin, region=village)

    village.refresh_from_db()
    community = Region.objects.get(pk=tree["community"].pk)
    assert village.path == "/350299/350299002/350299001001/"
    assert community.path == "/350299/350299002/350299001001/350299001099/"
    assert set(Region.objects.subtree(tree["town_b"])) == {tree["town_b"], village, community}
    assert set(Region.objects.subtree(tree["town_a"])) == {tree["town_a"]}
    assert _verbs(village) == ["created", "updated"]


def test_changing_a_code_rewrites_the_subtree_paths(tree, staff_admin):
    town_a = tree["town_a"]
    town_a.code = "350299009"

    services.region_save(actor=staff_admin, region=town_a)

    assert Region.objects.get(pk=tree["community"].pk).path == "/350299/350299009/350299001001/350299001099/"


def test_other_branches_keep_their_paths_when_a_subtree_moves(tree, staff_admin):
    village = tree["village"]
    village.parent = tree["town_b"]

    services.region_save(actor=staff_admin, region=village)

    assert Region.objects.get(pk=tree["town_a"].pk).path == "/350299/350299001/"
    assert Region.objects.get(pk=tree["district"].pk).path == "/350299/"


@pytest.mark.parametrize("new_parent", ["town_a", "village", "community"])
def test_a_region_cannot_move_below_itself(tree, staff_admin, new_parent):
    town_a = tree["town_a"]
    town_a.parent = tree[new_parent]

    with pytest.raises(ValidationError):
        services.region_save(actor=staff_admin, region=town_a)

    assert Region.objects.get(pk=town_a.pk).path == "/350299/350299001/"
    assert Region.objects.get(pk=tree["community"].pk).path == "/350299/350299001/350299001001/350299001099/"


# ---- users ---------------------------------------------------------------------------------


def test_user_created_without_password_gets_a_random_one_that_must_be_changed(staff_admin):
    user, password = services.user_create(actor=staff_admin, username="clerk_li", full_name="李明")
    other, other_password = services.user_create(actor=staff_admin, username="clerk_wang")

    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password(password)
    assert len(password) >= 12
    assert password != other_password
    assert _verbs(user) == ["created"]


def test_user_created_with_a_blank_password_is_treated_as_without_one(staff_admin):
    user, password = services.user_create(actor=staff_admin, username="clerk_zhao", password="")

    user.refresh_from_db()
    assert password
    assert user.check_password(password)
    assert user.must_change_password


def test_user_created_with_a_chosen_password_need_not_change_it(staff_admin):
    user, password = services.user_create(actor=staff_admin, username="clerk_chen", password="Chosen-pass-2026")

    user.refresh_from_db()
    assert password == "Chosen-pass-2026"
    assert user.check_password("Chosen-pass-2026")
    assert not user.must_change_password


def test_api_account_is_never_sent_to_the_password_form(staff_admin):
    user, _password = services.user_create(actor=staff_admin, username="town_a_system", is_api_account=True)

    user.refresh_from_db()
    assert user.is_api_account
    assert not user.must_change_password


def test_user_create_refuses_a_taken_username(staff_admin):
    services.user_create(actor=staff_admin, username="clerk_li")

    with pytest.raises(ValidationError) as refused:
        services.user_create(actor=staff_admin, username="clerk_li")

    assert "username" in refused.value.message_dict
    assert User.objects.filter(username="clerk_li").count() == 1


def test_user_create_stores_the_phone_encrypted_and_indexed(staff_admin):
    from congress.fields import blind_index

    user, _password = services.user_create(actor=staff_admin, username="clerk_li", phone="13800001111")

    assert User.objects.get(phone_index=blind_index("13800001111")) == user


def test_deactivating_a_user_ends_their_sessions_and_revokes_their_tokens(client, login, staff_admin, staff_clerk):
    from django.test import Client

    login(client, staff_clerk)
    login(Client(), staff_clerk)  # a second browser
    login(Client(), staff_admin)  # someone else's session survives
    token_one, key_one = services.api_token_issue(actor=staff_admin, user=staff_clerk, name="one")
    token_two, _key_two = services.api_token_issue(actor=staff_admin, user=staff_clerk, name="two")
    others_token, others_key = services.api_token_issue(actor=staff_admin, user=staff_admin, name="admin")
    assert _session_owners() == sorted([str(staff_admin.pk), str(staff_clerk.pk), str(staff_clerk.pk)])

    services.user_deactivate(actor=staff_admin, user=staff_clerk, reason="调离")

    staff_clerk.refresh_from_db()
    assert not staff_clerk.is_active
    assert _session_owners() == [str(staff_admin.pk)]
    assert not ApiToken.objects.filter(user=staff_clerk, revoked_at__isnull=True).exists()
    assert ApiToken.objects.get(pk=others_token.pk).revoked_at is None
    with pytest.raises(AuthenticationFailed):
        ApiTokenAuthentication().authenticate_credentials(key_one)
    assert ApiTokenAuthentication().authenticate_credentials(others_key)[0] == staff_admin
    deactivated = Event.objects.for_object(staff_clerk).get(verb="deactivated")
    assert (deactivated.actor, deactivated.note) == (staff_admin, "调离")


def test_a_deactivated_users_old_session_cookie_no_longer_logs_in(client, login, staff_clerk, staff_admin):
    login(client, staff_clerk)
    session_key = client.session.session_key

    services.user_deactivate(actor=staff_admin, user=staff_clerk, reason="离职")

    from importlib import import_module

    from django.conf import settings

    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key)


# ---- roles ---------------------------------------------------------------------------------


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.UNIT_OFFICER, {}),  # a unit officer without a unit
        (Role.UNIT_OFFICER, {"region": "town_a"}),
        (Role.TOWNSHIP_OFFICER, {}),
        (Role.TOWNSHIP_OFFICER, {"unit": "health_bureau"}),
        (Role.STAFF_ADMIN, {"region": "town_a"}),
        (Role.SYSTEM_ADMIN, {"body": "district_body"}),
        (Role.DEPUTY, {"body": "district_body", "unit": "health_bureau"}),
    ],
)
def test_role_grant_refuses_a_scope_the_role_does_not_take(request, staff_admin, newcomer, role, scope):
    given = {name: request.getfixturevalue(fixture) for name, fixture in scope.items()}

    with pytest.raises(ValidationError):
        services.role_grant(actor=staff_admin, user=newcomer, role=role, **given)

    assert not RoleGrant.objects.filter(user=newcomer).exists()
    assert "role_granted" not in _verbs(newcomer)


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.UNIT_OFFICER, {"unit": "health_bureau"}),
        (Role.TOWNSHIP_OFFICER, {"region": "town_a"}),
        (Role.STATION_KEEPER, {"region": "town_a"}),
        (Role.STAFF_CLERK, {"committee": "committee"}),
        (Role.STAFF_CLERK, {"body": "district_body"}),
        (Role.DEPUTY, {"body": "district_body"}),
        (Role.SYSTEM_ADMIN, {}),
    ],
)
def test_role_grant_accepts_the_scope_the_role_takes(request, staff_admin, newcomer, role, scope):
    given = {name: request.getfixturevalue(fixture) for name, fixture in scope.items()}

    grant = services.role_grant(actor=staff_admin, user=newcomer, role=role, **given)

    assert (grant.role, grant.granted_by) == (role, staff_admin)
    for name, value in given.items():
        assert getattr(grant, name) == value
    assert _verbs(newcomer) == ["role_granted"]


def test_granting_the_same_role_twice_keeps_one_grant(staff_admin, newcomer, town_a):
    first = services.role_grant(actor=staff_admin, user=newcomer, role=Role.TOWNSHIP_OFFICER, region=town_a)
    second = services.role_grant(actor=staff_admin, user=newcomer, role=Role.TOWNSHIP_OFFICER, region=town_a)

    assert first == second
    assert RoleGrant.objects.filter(user=newcomer).count() == 1
    assert _verbs(newcomer) == ["role_granted"]


def test_revoking_a_role_ends_it_once(staff_admin, newcomer, town_a):
    grant = services.role_grant(actor=staff_admin, user=newcomer, role=Role.TOWNSHIP_OFFICER, region=town_a)

    services.role_revoke(actor=staff_admin, grant=grant)
    services.role_revoke(actor=staff_admin, grant=grant)

    assert grant.revoked_at is not None
    assert not RoleGrant.objects.active().filter(user=newcomer).exists()
    assert _verbs(newcomer) == ["role_granted", "role_revoked"]
    # Granting again after a revocation is a new grant.
    again = services.role_grant(actor=staff_admin, user=newcomer, role=Role.TOWNSHIP_OFFICER, region=town_a)
    assert again.pk != grant.pk


# ---- API tokens ----------------------------------------------------------------------------


def test_issued_token_keeps_only_a_digest(staff_admin, township_officer_a):
    token, key = services.api_token_issue(actor=staff_admin, user=township_officer_a, name="乡镇系统")

    token.refresh_from_db()
    assert key.startswith("tx_")
    assert token.digest == token_digest(key)
    assert key not in (token.digest, token.prefix, token.name)
    assert token.prefix == key[:10]
    assert ApiTokenAuthentication().authenticate_credentials(key) == (township_officer_a, token)
    assert _verbs(township_officer_a) == ["token_issued"]


def test_rotating_a_token_revokes_the_old_key_and_issues_a_working_new_one(staff_admin, township_officer_a):
    old, old_key = services.api_token_issue(actor=staff_admin, user=township_officer_a, name="乡镇系统")

    new, new_key = services.api_token_rotate(actor=staff_admin, token=old)

    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.revoked_at is None
    assert (new.user, new.name) == (township_officer_a, "乡镇系统")
    assert new_key != old_key
    with pytest.raises(AuthenticationFailed):
        ApiTokenAuthentication().authenticate_credentials(old_key)
    assert ApiTokenAuthentication().authenticate_credentials(new_key)[0] == township_officer_a
    assert _verbs(township_officer_a) == ["token_issued", "token_revoked", "token_issued"]


def test_a_revoked_token_cannot_be_rotated_back_to_life(staff_admin, township_officer_a):
    token, _key = services.api_token_issue(actor=staff_admin, user=township_officer_a)
    services.api_token_revoke(actor=staff_admin, token=token)

    with pytest.raises(ValidationError):
        services.api_token_rotate(actor=staff_admin, token=token)

    assert not ApiToken.objects.filter(user=township_officer_a, revoked_at__isnull=True).exists()
    assert _verbs(township_officer_a) == ["token_issued", "token_revoked"]


def test_revoking_a_token_twice_records_it_once(staff_admin, township_officer_a):
    token, key = services.api_token_issue(actor=staff_admin, user=township_officer_a)

    services.api_token_revoke(actor=staff_admin, token=token)
    services.api_token_revoke(actor=staff_admin, token=token)

    with pytest.raises(AuthenticationFailed):
        ApiTokenAuthentication().authenticate_credentials(key)
    assert _verbs(township_officer_a) == ["token_issued", "token_revoked"]


# ---- calendar overrides --------------------------------------------------------------------


def test_saving_an_override_records_who_and_why(staff_admin):
    day = datetime.date(2026, 3, 2)

    override = services.working_day_override_save(actor=staff_admin, day=day, is_working_day=False, reason="防台风")
    services.working_day_override_save(actor=staff_admin, day=day, is_working_day=True, reason="恢复上班")

    override.refresh_from_db()
    assert (override.is_working_day, override.reason, override.created_by) == (True, "恢复上班", staff_admin)
    assert [(event.verb, event.note) for event in Event.objects.for_object(override)] == [
        ("created", "防台风"),
        ("updated", "恢复上班"),
    ]


def test_deleting_an_override_leaves_its_event_behind(staff_admin):
    override = services.working_day_override_save(
        actor=staff_admin, day=datetime.date(2026, 3, 2), is_working_day=False, reason="防台风"
    )
    pk = override.pk

    services.working_day_override_delete(actor=staff_admin, override=override)

    assert not WorkingDayOverride.objects.filter(pk=pk).exists()
    assert Event.objects.filter(object_id=str(pk), verb="deleted").exists()
