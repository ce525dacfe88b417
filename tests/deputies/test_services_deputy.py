import datetime
import logging

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import ApiToken, Event, RoleGrant
from congress.models.accounts import Role
from congress.workflow import IllegalTransition, StaleState, TransitionForbidden, transition
from deputies import services
from deputies.models import Deputy, Gender, Sector
from tests.factories.congress import TermFactory, UserFactory
from tests.factories.deputies import DeputyFactory, id_number


def _create(actor, body, **fields):
    term = body.terms.get(is_current=True)
    fields.setdefault("id_number", id_number(500))
    return services.deputy_create(actor=actor, body=body, term=term, name="张三", gender=Gender.MALE, **fields)


def test_staff_create_a_deputy_with_an_event(staff_admin, district_body):
    deputy = _create(staff_admin, district_body, sector=Sector.FARMERS, phone="139 0000 1111")
    assert deputy.pk and deputy.status == Deputy.Status.SERVING
    assert deputy.phone == "13900001111"
    assert Event.objects.for_object(deputy).get().verb == "created"


def test_an_id_number_with_a_wrong_check_character_is_refused(staff_admin, district_body):
    valid = id_number(501)
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        _create(staff_admin, district_body, id_number=wrong)
    assert "id_number" in error.value.message_dict
    assert not Deputy.objects.exists()


def test_a_person_cannot_be_entered_twice_in_one_term(staff_admin, district_body):
    _create(staff_admin, district_body, id_number=id_number(502))
    with pytest.raises(ValidationError):
        _create(staff_admin, district_body, id_number=id_number(502).lower())
    assert Deputy.objects.count() == 1


def test_a_term_of_another_congress_is_refused(staff_admin, district_body, township_body_a):
    other_term = TermFactory(body=township_body_a)
    with pytest.raises(ValidationError):
        services.deputy_create(actor=staff_admin, body=district_body, term=other_term, name="张三", gender="male")


def test_linking_an_account_grants_the_deputy_role_in_the_deputys_congress(staff_admin, district_body):
    account = UserFactory()
    deputy = _create(staff_admin, district_body, user=account)
    assert deputy.user == account
    assert RoleGrant.objects.active().filter(user=account, role=Role.DEPUTY, body=district_body).exists()


def test_update_event_names_changed_fields_but_never_secret_values(staff_admin, district_body):
    deputy = DeputyFactory(body=district_body)
    services.deputy_update(actor=staff_admin, deputy=deputy, phone="13712345678", occupation="教师")
    event = Event.objects.for_object(deputy).get(verb="updated")
    assert event.data == {"changed": ["occupation", "phone"]}
    assert "13712345678" not in str(event.data) + event.note
    assert Deputy.objects.get(pk=deputy.pk).phone == "13712345678"


def test_status_cannot_be_set_through_update(staff_admin, district_body):
    deputy = DeputyFactory(body=district_body)
    with pytest.raises(ValidationError):
        services.deputy_update(actor=staff_admin, deputy=deputy, status=Deputy.Status.RESIGNED)


def test_deputy_edits_only_the_public_part_of_their_card(deputy, deputy_user):
    services.deputy_profile_update(actor=deputy_user, deputy=deputy, public_bio="扎根基层二十年")
    assert Deputy.objects.get(pk=deputy.pk).public_bio == "扎根基层二十年"
    with pytest.raises(ValidationError):
        services.deputy_profile_update(actor=deputy_user, deputy=deputy, phone="13700000000")


def test_another_user_cannot_edit_a_deputys_card(deputy, member):
    with pytest.raises(PermissionDenied):
        services.deputy_profile_update(actor=member, deputy=deputy, public_bio="x")


# ---- ending a mandate ----------------------------------------------------------------------


def _session_for(client, login, user):
    login(client, user)
    return client.session.session_key


def test_ending_a_mandate_records_it_and_deactivates_the_account(
    staff_admin, deputy, deputy_user, client, login, api_client_for
):
    session_key = _session_for(client, login, deputy_user)
    api_client_for(deputy_user)
    ended = services.deputy_end_mandate(
        actor=staff_admin, deputy=deputy, status=Deputy.Status.RESIGNED,
        on_date=datetime.date(2026, 5, 1), reason="因工作调动辞职",
    )
    assert ended.status == Deputy.Status.RESIGNED
    assert ended.status_changed_on == datetime.date(2026, 5, 1)
    event = Event.objects.for_object(deputy).get(verb="mandate_ended")
    assert (event.from_state, event.to_state, event.note) == ("serving", "resigned", "因工作调动辞职")
    deputy_user.refresh_from_db()
    assert not deputy_user.is_active
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not ApiToken.objects.filter(user=deputy_user, revoked_at__isnull=True).exists()
    assert not RoleGrant.objects.active().filter(user=deputy_user, role=Role.DEPUTY).exists()


def test_an_ended_mandate_cannot_end_again(staff_admin, deputy):
    services.deputy_end_mandate(
        actor=staff_admin, deputy=deputy, status=Deputy.Status.RESIGNED,
        on_date=datetime.date(2026, 5, 1), reason="辞职",
    )
    stale_copy = Deputy.objects.get(pk=deputy.pk)
    with pytest.raises(StaleState):
        services.deputy_end_mandate(
            actor=staff_admin, deputy=stale_copy, status=Deputy.Status.DECEASED,
            on_date=datetime.date(2026, 6, 1), reason="去世",
        )
    with pytest.raises(IllegalTransition):
        transition(stale_copy, to=Deputy.Status.DECEASED, actor=staff_admin, verb="mandate_ended")


def test_ending_a_mandate_needs_a_reason(staff_admin, deputy):
    with pytest.raises(ValidationError):
        services.deputy_end_mandate(
            actor=staff_admin, deputy=deputy, status=Deputy.Status.RESIGNED,
            on_date=datetime.date(2026, 5, 1), reason=" ",
        )
    assert Deputy.objects.get(pk=deputy.pk).is_serving


def test_account_with_another_serving_mandate_stays_active(staff_admin, deputy, deputy_user, township_body_a):
    township_mandate = DeputyFactory(body=township_body_a, user=deputy_user)
    RoleGrant.objects.create(user=deputy_user, role=Role.DEPUTY, body=township_body_a)
    services.deputy_end_mandate(
        actor=staff_admin, deputy=deputy, status=Deputy.Status.TERMINATED,
        on_date=datetime.date(2026, 5, 1), reason="罢免",
    )
    deputy_user.refresh_from_db()
    assert deputy_user.is_active
    active_deputy_bodies = set(
        RoleGrant.objects.active().filter(user=deputy_user, role=Role.DEPUTY).values_list("body", flat=True)
    )
    assert active_deputy_bodies == {township_mandate.body_id}


def test_township_officer_cannot_end_a_district_mandate(township_officer_a, district_body, town_a):
    deputy = DeputyFactory(body=district_body)
    with pytest.raises(TransitionForbidden):
        services.deputy_end_mandate(
            actor=township_officer_a, deputy=deputy, status=Deputy.Status.RESIGNED,
            on_date=datetime.date(2026, 5, 1), reason="辞职",
        )


# ---- linked mandates and unmasking ---------------------------------------------------------


def test_a_persons_district_and_township_mandates_are_linked_both_ways(staff_admin, district_body, township_body_a):
    district_mandate = DeputyFactory(body=district_body, id_number=id_number(600))
    township_mandate = DeputyFactory(body=township_body_a, id_number=id_number(600))
    services.deputy_link_mandates(actor=staff_admin, deputy=district_mandate, other=township_mandate)
    assert Deputy.objects.get(pk=district_mandate.pk).linked_mandate_id == township_mandate.pk
    assert Deputy.objects.get(pk=township_mandate.pk).linked_mandate_id == district_mandate.pk


def test_mandates_of_different_people_or_same_level_are_not_linked(staff_admin, district_body, township_body_a):
    one = DeputyFactory(body=district_body, id_number=id_number(601))
    same_level = DeputyFactory(body=district_body, id_number=id_number(602))
    other_person = DeputyFactory(body=township_body_a, id_number=id_number(603))
    with pytest.raises(ValidationError):
        services.deputy_link_mandates(actor=staff_admin, deputy=one, other=same_level)
    with pytest.raises(ValidationError):
        services.deputy_link_mandates(actor=staff_admin, deputy=one, other=other_person)


def test_staff_admin_unmasks_with_a_reason_and_it_is_logged(staff_admin, district_body, caplog):
    deputy = DeputyFactory(body=district_body, phone="13912345678")
    with caplog.at_level(logging.INFO, logger="tongxin.security"):
        value = services.deputy_unmask(actor=staff_admin, deputy=deputy, field="phone", reason="通知开会")
    assert value == "13912345678"
    event = Event.objects.for_object(deputy).get(verb="unmasked")
    assert event.note == "通知开会" and event.data == {"field": "phone"}
    assert any('"event": "unmask"' in record.getMessage() for record in caplog.records)
    assert all("13912345678" not in record.getMessage() for record in caplog.records)


def test_unmasking_needs_a_reason_and_the_permission(staff_admin, staff_clerk, district_body):
    deputy = DeputyFactory(body=district_body)
    with pytest.raises(ValidationError):
        services.deputy_unmask(actor=staff_admin, deputy=deputy, field="id_number", reason="")
    with pytest.raises(PermissionDenied):
        services.deputy_unmask(actor=staff_clerk, deputy=deputy, field="id_number", reason="核对")
    assert not Event.objects.for_object(deputy).filter(verb="unmasked").exists()


def test_township_officer_keeps_own_township_roster_only(township_officer_a, township_body_a, district_body):
    TermFactory(body=township_body_a)
    deputy = _create(township_officer_a, township_body_a, id_number=id_number(700))
    services.deputy_update(actor=township_officer_a, deputy=deputy, occupation="村医")
    district_deputy = DeputyFactory(body=district_body)
    with pytest.raises(PermissionDenied):
        _create(township_officer_a, district_body, id_number=id_number(701))
    with pytest.raises(PermissionDenied):
        services.deputy_update(actor=township_officer_a, deputy=district_deputy, occupation="x")
    with pytest.raises(PermissionDenied):
        services.deputy_link_mandates(actor=township_officer_a, deputy=deputy, other=district_deputy)
