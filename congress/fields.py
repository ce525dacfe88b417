"""Encrypted model fields for ID numbers and phones (SECURITY S17).

Values are sealed with AES-256-GCM under the newest key of `FIELD_ENCRYPTION_KEYS`; each stored
value names the key it was sealed with, so older keys keep decrypting during a rotation. Exact
look-ups go through a keyed HMAC blind index that lives in a sibling column.
"""

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1"


@cache
def _key_ring(keys: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    ring = {}
    for encoded in keys:
        raw = base64.b64decode(encoded)
        if len(raw) != 32:
            raise ImproperlyConfigured("each FIELD_ENCRYPTION_KEYS entry must be 32 bytes, base64-encoded")
        ring[hashlib.sha256(raw).hexdigest()[:8]] = AESGCM(raw)
    if not ring:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return next(iter(ring)), ring


def key_ring():
    return _key_ring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    key_id, ring = key_ring()
    nonce = os.urandom(12)
    sealed = ring[key_id].encrypt(nonce, plaintext.encode(), key_id.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str) -> str:
    prefix, key_id, payload = stored.split(":", 2)
    if prefix != PREFIX:
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(payload)
    return key_ring()[1][key_id].decrypt(raw[:12], raw[12:], key_id.encode()).decode()


def sealed_with_current_key(stored: str) -> bool:
    return stored.split(":", 2)[1] == key_ring()[0]


def _is_sealed(value: str) -> bool:
    """True only for a value this key ring sealed; a mere "enc1:" prefix is not enough.

    Otherwise a citizen typing "enc1:x:y" into a phone field would be stored in the clear and
    break every page that later reads the row.
    """
    if not value.startswith(f"{PREFIX}:"):
        return False
    try:
        decrypt(value)
    except (ValueError, KeyError, InvalidTag, binascii.Error):
        return False
    return True


def blind_index(value: str) -> str:
    """Keyed digest for exact look-up; normalised so that '138 0000 1111' finds '13800001111'."""
    normalised = "".join(value.split()).upper()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and ciphertext in the database. Not searchable: use the index."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        if _is_sealed(value):
            return value
        return encrypt(value)


class BlindIndexField(models.CharField):
    """HMAC of a sibling encrypted field, recomputed whenever the row is saved."""

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.source)
        digest = blind_index(value) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


def new_public_code() -> str:
    """Random, URL-safe and unguessable: a QR code carries only a station's or a deputy's public
    code, never a primary key that would reveal the mapping or invite enumeration (SECURITY S14)."""
    return secrets.token_urlsafe(9)
