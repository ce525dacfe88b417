"""Encrypted personal data at rest with a blind index for look-up (SECURITY S17)."""

import base64
import os

import pytest
from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from congress import fields
from congress.models import User
from tests.factories.congress import UserFactory

PHONE = "13800001111"


def _raw_phone(user) -> tuple[str, str]:
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone, phone_index FROM {table} WHERE id = %s", [user.pk])  # noqa: S608
        return cursor.fetchone()


def _set_raw_phone(user, stored: str) -> None:
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", [stored, user.pk])  # noqa: S608


def _new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def old_key():
    return settings.FIELD_ENCRYPTION_KEYS[0]


@pytest.mark.django_db
def test_the_database_never_holds_the_plaintext():
    user = UserFactory(phone=PHONE)

    stored, index = _raw_phone(user)

    assert stored.startswith("enc1:")
    assert PHONE not in stored
    assert PHONE not in index
    assert index == fields.blind_index(PHONE)


@pytest.mark.django_db
def test_value_round_trips_through_the_database():
    user = UserFactory(phone=PHONE)

    assert User.objects.get(pk=user.pk).phone == PHONE


@pytest.mark.django_db
def test_same_value_is_sealed_differently_each_time_but_indexed_alike():
    first, second = UserFactory(phone=PHONE), UserFactory(phone=PHONE)

    (first_stored, first_index), (second_stored, second_index) = _raw_phone(first), _raw_phone(second)

    assert first_stored != second_stored  # random nonce: equal phones are not visible as equal
    assert first_index == second_index


@pytest.mark.django_db
def test_lookup_by_blind_index_finds_the_user():
    user = UserFactory(phone=PHONE)
    UserFactory(phone="13900002222")

    assert list(User.objects.filter(phone_index=fields.blind_index(PHONE))) == [user]
    # Spaces are normalised away, as people type them.
    assert list(User.objects.filter(phone_index=fields.blind_index("138 0000 1111"))) == [user]
    assert not User.objects.filter(phone_index=fields.blind_index("13800001112")).exists()


@pytest.mark.django_db
def test_blind_index_follows_a_changed_value():
    user = UserFactory(phone=PHONE)

    user.phone = "13900002222"
    user.save()

    assert _raw_phone(user)[1] == fields.blind_index("13900002222")
    assert not User.objects.filter(phone_index=fields.blind_index(PHONE)).exists()


@pytest.mark.django_db
def test_empty_value_is_stored_empty_with_an_empty_index():
    user = UserFactory(phone="")

    assert _raw_phone(user) == ("", "")
    assert User.objects.get(pk=user.pk).phone == ""


def test_blind_index_is_keyed():
    first = fields.blind_index(PHONE)

    with override_settings(BLIND_INDEX_KEY="another-key"):
        assert fields.blind_index(PHONE) != first


@pytest.mark.django_db
def test_value_sealed_with_an_old_key_still_decrypts_after_rotation(old_key):
    user = UserFactory(phone=PHONE)
    old_stored = _raw_phone(user)[0]
    new_key = _new_key()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        assert User.objects.get(pk=user.pk).phone == PHONE
        assert not fields.sealed_with_current_key(old_stored)

        # Saving again reseals with the newest key.
        reloaded = User.objects.get(pk=user.pk)
        reloaded.save()
        new_stored = _raw_phone(user)[0]
        assert fields.sealed_with_current_key(new_stored)
        assert new_stored.split(":")[1] != old_stored.split(":")[1]
        # The blind index does not depend on the encryption key.
        assert _raw_phone(user)[1] == fields.blind_index(PHONE)

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert User.objects.get(pk=user.pk).phone == PHONE


@pytest.mark.django_db
def test_value_cannot_be_read_once_its_key_has_left_the_ring():
    user = UserFactory(phone=PHONE)

    with override_settings(FIELD_ENCRYPTION_KEYS=[_new_key()]), pytest.raises(KeyError):
        User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_tampered_ciphertext_fails_to_decrypt():
    user = UserFactory(phone=PHONE)
    prefix, key_id, payload = _raw_phone(user)[0].split(":", 2)
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 0x01
    _set_raw_phone(user, f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}")

    with pytest.raises(InvalidTag):
        User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_ciphertext_moved_under_another_key_id_fails(old_key):
    user = UserFactory(phone=PHONE)
    new_key = _new_key()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        new_id = fields.key_ring()[0]
        _prefix, _old_id, payload = _raw_phone(user)[0].split(":", 2)
        _set_raw_phone(user, f"enc1:{new_id}:{payload}")

        with pytest.raises(InvalidTag):
            User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_input_that_only_looks_sealed_is_encrypted_like_any_other():
    # A citizen may type anything into a phone field; it must never reach the database in clear.
    user = UserFactory(phone="enc1:abcd1234:AAAA")

    stored = _raw_phone(user)[0]

    assert "AAAA" not in stored
    assert User.objects.get(pk=user.pk).phone == "enc1:abcd1234:AAAA"


def test_encrypt_and_decrypt_are_inverse():
    sealed = fields.encrypt("350212199001011234")

    assert sealed.startswith("enc1:")
    assert fields.decrypt(sealed) == "350212199001011234"


def test_decrypt_refuses_a_value_that_is_not_sealed():
    with pytest.raises(ValueError, match="not an encrypted value"):
        fields.decrypt("plain:abc:def")


@pytest.mark.parametrize(
    "keys",
    [[], [base64.b64encode(b"too short").decode()]],
    ids=["empty-ring", "short-key"],
)
def test_a_bad_key_ring_is_refused(keys):
    with override_settings(FIELD_ENCRYPTION_KEYS=keys), pytest.raises(ImproperlyConfigured):
        fields.encrypt(PHONE)


def test_the_configured_key_ring_is_usable():
    key_id, ring = fields.key_ring()

    assert key_id in ring
    assert fields.decrypt(fields.encrypt(PHONE)) == PHONE


@pytest.mark.django_db
def test_a_decrypted_phone_is_masked_for_display():
    from congress.masking import mask_id_number, mask_phone

    user = UserFactory(phone="13812345678")

    assert mask_phone(User.objects.get(pk=user.pk).phone) == "138****5678"
    assert mask_id_number("350212199001011234") == "3502**********1234"


def test_rotate_field_keys_reseals_old_values_once_and_keeps_them_readable(db, settings):
    import io

    from django.core.management import call_command
    from django.db import connection

    from congress import fields
    from tests.factories.congress import UserFactory

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    user = UserFactory(phone="13800001111")
    new_key = "bmV3LWtleS1mb3Itcm90YXRpb24tdGVzdHMtMzItYnk="
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    first, second = io.StringIO(), io.StringIO()
    call_command("rotate_field_keys", stdout=first)
    call_command("rotate_field_keys", stdout=second)
    assert "congress.User.phone: 1 re-encrypted" in first.getvalue()
    assert "0 values re-encrypted" in second.getvalue()  # interrupted or repeated runs are harmless

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM congress_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert fields.sealed_with_current_key(stored)
    user.refresh_from_db()
    assert user.phone == "13800001111"
    # Once the old key is dropped, the value still reads.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    user.refresh_from_db()
    assert user.phone == "13800001111"
