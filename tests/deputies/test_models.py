import pytest
from django.db import IntegrityError, connection

from congress.fields import blind_index
from deputies.models import ContactPair, Deputy, id_number_is_valid
from tests.factories.deputies import DeputyFactory, id_number


def test_id_number_check_character_is_verified():
    valid = id_number(7)
    assert id_number_is_valid(valid)
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    assert not id_number_is_valid(wrong_check)
    assert not id_number_is_valid("35021219750601")


def test_id_number_and_phone_are_encrypted_at_rest_and_found_by_blind_index(district_body):
    deputy = DeputyFactory(body=district_body, id_number=id_number(1), phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM deputies_deputy WHERE id = %s", [deputy.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert id_number(1) not in stored_id
    assert "13912345678" not in stored_phone
    assert Deputy.objects.get(phone_index=blind_index("139 1234 5678")) == deputy
    assert Deputy.objects.get(pk=deputy.pk).id_number == id_number(1)


def test_id_number_and_phone_are_masked_by_default(district_body):
    deputy = DeputyFactory(body=district_body, id_number=id_number(2), phone="13912345678")
    assert deputy.masked_phone == "139****5678"
    assert deputy.masked_id_number.startswith("3502")
    assert deputy.masked_id_number.endswith(id_number(2)[-4:])
    assert id_number(2)[4:14] not in deputy.masked_id_number


def test_serving_excludes_ended_mandates(district_body):
    serving = DeputyFactory(body=district_body)
    DeputyFactory(body=district_body, status=Deputy.Status.RESIGNED)
    assert list(Deputy.objects.serving()) == [serving]


def test_one_person_holds_one_mandate_per_term(district_body):
    DeputyFactory(body=district_body, id_number=id_number(3))
    with pytest.raises(IntegrityError):
        DeputyFactory(body=district_body, id_number=id_number(3))


def test_a_person_may_hold_a_district_and_a_township_mandate(district_body, township_body_a):
    DeputyFactory(body=district_body, id_number=id_number(4))
    DeputyFactory(body=township_body_a, id_number=id_number(4))
    assert Deputy.objects.filter(id_number_index=blind_index(id_number(4))).count() == 2


def test_a_member_is_not_paired_with_themself(district_body):
    member = DeputyFactory(body=district_body, is_standing_committee_member=True)
    with pytest.raises(IntegrityError):
        ContactPair.objects.create(body=district_body, year=2026, member=member, deputy=member)


def test_the_audit_log_never_holds_a_plain_id_number_or_phone(staff_admin, district_body):
    from auditlog.models import LogEntry

    from deputies import services

    deputy = DeputyFactory(body=district_body, id_number=id_number(8), phone="13912345678")
    services.deputy_update(actor=staff_admin, deputy=deputy, phone="13787654321")
    entries = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(deputy))
    assert entries
    for secret in (id_number(8), "13912345678", "13787654321", deputy.id_number_index):
        assert secret not in entries
