import pytest
from django.contrib.auth.models import AnonymousUser

from deputies import permissions, selectors, services
from deputies.models import ActivityKind
from tests.factories.deputies import participate


@pytest.fixture
def roster(district_deputy_a, district_deputy_b, township_deputy_a, township_deputy_b, deputy):
    return {
        "district_a": district_deputy_a,
        "district_b": district_deputy_b,
        "township_a": township_deputy_a,
        "township_b": township_deputy_b,
        "own": deputy,
    }


def _visible(user, roster):
    visible = set(permissions.visible_deputies(user).values_list("pk", flat=True))
    return {name for name, deputy in roster.items() if deputy.pk in visible}


def test_staff_see_every_deputy_of_the_district_and_its_towns(staff_clerk, leader, auditor, roster):
    for user in (staff_clerk, leader, auditor):
        assert _visible(user, roster) == set(roster)


def test_township_officer_sees_own_township_deputies_and_district_deputies_elected_there(
    township_officer_a, township_officer_b, roster
):
    assert _visible(township_officer_a, roster) == {"township_a", "district_a"}
    assert _visible(township_officer_b, roster) == {"township_b", "district_b"}


def test_township_officer_keeps_only_their_own_township_deputies(township_officer_a, roster):
    manageable = set(permissions.manageable_deputies(township_officer_a).values_list("pk", flat=True))
    assert manageable == {roster["township_a"].pk}
    assert permissions.can_manage_deputy(township_officer_a, roster["township_a"])
    assert not permissions.can_manage_deputy(township_officer_a, roster["district_a"])
    assert not permissions.can_manage_deputy(township_officer_a, roster["township_b"])


def test_a_deputy_sees_only_their_own_mandates(deputy_user, roster):
    assert _visible(deputy_user, roster) == {"own"}


def test_unit_officers_and_anonymous_see_no_roster(unit_officer, roster):
    assert _visible(unit_officer, roster) == set()
    assert _visible(AnonymousUser(), roster) == set()


def test_a_deactivated_account_sees_nothing(staff_clerk, roster):
    staff_clerk.is_active = False
    assert _visible(staff_clerk, roster) == set()
    assert not permissions.can_manage_deputy(staff_clerk, roster["district_a"])


def test_detail_of_another_scope_looks_absent(township_officer_a, roster):
    from deputies.models import Deputy

    assert selectors.deputy_get(township_officer_a, roster["district_a"].pk) == roster["district_a"]
    with pytest.raises(Deputy.DoesNotExist):
        selectors.deputy_get(township_officer_a, roster["township_b"].pk)


def test_unmasking_is_for_staff_admins_in_scope_and_the_deputy_themself(
    staff_admin, staff_clerk, township_officer_a, deputy_user, roster
):
    assert permissions.can_unmask(staff_admin, roster["township_b"])
    assert permissions.can_unmask(deputy_user, roster["own"])
    assert not permissions.can_unmask(deputy_user, roster["district_a"])
    assert not permissions.can_unmask(staff_clerk, roster["district_a"])
    assert not permissions.can_unmask(township_officer_a, roster["township_a"])


def test_nobody_verifies_their_own_report(staff_clerk, deputy_user, deputy):
    activity = services.activity_self_report(
        actor=deputy_user, deputy=deputy, kind=ActivityKind.RESEARCH, date=deputy.created_at.date(), title="调研"
    )
    assert permissions.can_verify_activity(staff_clerk, activity)
    activity.reported_by = staff_clerk
    assert not permissions.can_verify_activity(staff_clerk, activity)


def test_verification_queue_is_scoped(staff_clerk, township_officer_a, township_officer_b, township_deputy_a):
    from congress.models.accounts import Role
    from tests.factories.congress import UserFactory

    account = UserFactory()
    services.deputy_link_user(actor=township_officer_a, deputy=township_deputy_a, user=account)
    assert Role.DEPUTY in {grant.role for grant in account.role_grants.all()}
    activity = services.activity_self_report(
        actor=account, deputy=township_deputy_a, kind=ActivityKind.VOTER_VISIT,
        date=township_deputy_a.created_at.date(), title="走访",
    )
    assert list(selectors.verification_queue(township_officer_a)) == [activity]
    assert list(selectors.verification_queue(staff_clerk)) == [activity]
    assert list(selectors.verification_queue(township_officer_b)) == []


def test_visible_activities_follow_the_visible_deputies(township_officer_a, township_officer_b, roster):
    (activity,) = participate(roster["district_a"], kind=ActivityKind.INSPECTION)
    assert list(permissions.visible_activities(township_officer_a)) == [activity]
    assert list(permissions.visible_activities(township_officer_b)) == []
