"""Users and role grants in the console: create with a one-time password, grant, revoke, deactivate."""

from django.urls import reverse

from congress.models import Event, RoleGrant, User
from congress.models.accounts import Role
from tests.factories.congress import UserFactory


def test_staff_admin_creates_a_user_and_sees_the_first_password_once(client, login, staff_admin):
    login(client, staff_admin)

    response = client.post(
        reverse("console:user_create"), {"username": "clerk2", "full_name": "李文书", "email": "", "phone": ""}
    )

    assert response.status_code == 200
    created = User.objects.get(username="clerk2")
    password = response.context["password"]
    assert created.check_password(password)
    assert created.must_change_password is True
    assert password.encode() in response.content
    # The detail page never shows it again.
    assert password.encode() not in client.get(reverse("console:user_detail", args=[created.pk])).content


def test_a_taken_username_is_refused(client, login, staff_admin, staff_clerk):
    login(client, staff_admin)

    response = client.post(reverse("console:user_create"), {"username": "staff_clerk", "full_name": "重名"})

    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_clerk_cannot_manage_users(client, login, staff_clerk, member):
    login(client, staff_clerk)

    assert client.get(reverse("console:users")).status_code == 403
    assert client.post(reverse("console:user_create"), {"username": "x", "full_name": "x"}).status_code == 403
    grant = RoleGrant.objects.get(user=member)
    assert client.post(reverse("console:grant_revoke", args=[grant.pk])).status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_staff_admin_grants_a_scoped_role(client, login, staff_admin, town_a):
    person = UserFactory(username="new_officer")
    login(client, staff_admin)

    response = client.post(
        reverse("console:grant_create", args=[person.pk]), {"role": Role.TOWNSHIP_OFFICER, "region": town_a.pk}
    )

    assert response.status_code == 302
    grant = RoleGrant.objects.active().get(user=person)
    assert (grant.role, grant.region, grant.granted_by) == (Role.TOWNSHIP_OFFICER, town_a, staff_admin)
    assert Event.objects.for_object(person).get().verb == "role_granted"


def test_a_role_without_its_scope_is_refused_on_the_form(client, login, staff_admin):
    person = UserFactory(username="new_officer")
    login(client, staff_admin)

    response = client.post(reverse("console:grant_create", args=[person.pk]), {"role": Role.UNIT_OFFICER})

    assert response.status_code == 400
    assert response.context["grant_form"].non_field_errors()
    assert not RoleGrant.objects.filter(user=person).exists()


def test_a_body_scoped_admin_cannot_hand_out_the_system_admin_role(client, login, staff_admin):
    person = UserFactory(username="climber")
    login(client, staff_admin)

    response = client.post(reverse("console:grant_create", args=[person.pk]), {"role": Role.SYSTEM_ADMIN})

    assert response.status_code == 400
    assert not RoleGrant.objects.filter(user=person).exists()


def test_revoking_with_htmx_returns_the_row_fragment(client, login, staff_admin, member):
    grant = RoleGrant.objects.get(user=member)
    login(client, staff_admin)

    response = client.post(reverse("console:grant_revoke", args=[grant.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert [template.name for template in response.templates] == ["console/congress/_grant_row.html"]
    assert f'id="grant-{grant.pk}"'.encode() in response.content
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert Event.objects.for_object(member).get().verb == "role_revoked"


def test_revoking_without_htmx_redirects_back(client, login, staff_admin, member):
    grant = RoleGrant.objects.get(user=member)
    login(client, staff_admin)

    response = client.post(reverse("console:grant_revoke", args=[grant.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("console:user_detail", args=[member.pk])


def test_revoke_is_post_only(client, login, staff_admin, member):
    grant = RoleGrant.objects.get(user=member)
    login(client, staff_admin)

    assert client.get(reverse("console:grant_revoke", args=[grant.pk])).status_code == 405
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_deactivating_a_user_ends_their_session(client, login, staff_admin, staff_clerk):
    from django.test import Client

    clerk_client = login(Client(), staff_clerk)
    assert clerk_client.get(reverse("console:home")).status_code == 200
    login(client, staff_admin)

    response = client.post(reverse("console:user_deactivate", args=[staff_clerk.pk]), {"reason": "调离"})

    assert response.status_code == 302
    staff_clerk.refresh_from_db()
    assert staff_clerk.is_active is False
    assert clerk_client.get(reverse("console:home")).status_code == 302


def test_deactivation_needs_a_reason(client, login, staff_admin, staff_clerk):
    login(client, staff_admin)

    client.post(reverse("console:user_deactivate", args=[staff_clerk.pk]), {"reason": ""})

    staff_clerk.refresh_from_db()
    assert staff_clerk.is_active is True


def test_an_admin_cannot_deactivate_themselves(client, login, staff_admin):
    login(client, staff_admin)

    client.post(reverse("console:user_deactivate", args=[staff_admin.pk]), {"reason": "误操作"})

    staff_admin.refresh_from_db()
    assert staff_admin.is_active is True


def test_the_user_list_shows_roles_and_masks_phones(
    client, login, staff_admin, staff_clerk, member, unit_officer, django_assert_max_num_queries
):
    for number in range(20):
        person = UserFactory(username=f"deputy{number:02d}")
        RoleGrant.objects.create(user=person, role=Role.DEPUTY, body=staff_admin.role_grants.get().body)
    member.phone = "13812345678"
    member.save()
    login(client, staff_admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("console:users"), {"page": 1})

    assert response.context["page_obj"].paginator.count == 24
    assert "人大代表".encode() in response.content or str(Role.DEPUTY.label).encode() in response.content
    detail = client.get(reverse("console:user_detail", args=[member.pk])).content
    assert b"13812345678" not in detail
    assert b"138****5678" in detail


def test_the_user_list_filters_by_role_and_name(client, login, staff_admin, member, unit_officer):
    login(client, staff_admin)

    by_role = client.get(reverse("console:users"), {"role": Role.UNIT_OFFICER})
    by_name = client.get(reverse("console:users"), {"q": "membe"})

    assert list(by_role.context["page_obj"].object_list) == [unit_officer]
    assert list(by_name.context["page_obj"].object_list) == [member]


def test_editing_a_user_keeps_the_phone_unless_a_new_one_is_given(client, login, staff_admin, member):
    member.phone = "13812345678"
    member.save()
    login(client, staff_admin)

    client.post(reverse("console:user_edit", args=[member.pk]), {"full_name": "王委员", "email": "", "phone": ""})
    member.refresh_from_db()
    assert (member.full_name, member.phone) == ("王委员", "13812345678")

    client.post(
        reverse("console:user_edit", args=[member.pk]), {"full_name": "王委员", "email": "", "phone": "13900000000"}
    )
    member.refresh_from_db()
    assert member.phone == "13900000000"
