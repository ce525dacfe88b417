"""Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS (SECURITY S17).

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), deploy, run
this command, then drop the old keys. It works in batches, touches only rows sealed with an older
key, and can be interrupted and re-run: a second run finds nothing left to do.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from congress.fields import EncryptedTextField, sealed_with_current_key

BATCH_SIZE = 500


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields sealed with an older key (idempotent, batched)."

    def handle(self, *args, **options):
        total = 0
        for model, field in encrypted_fields():
            rotated = self.rotate(model, field)
            if rotated:
                self.stdout.write(f"{model._meta.label}.{field.name}: {rotated} re-encrypted")
            total += rotated
        self.stdout.write(self.style.SUCCESS(f"{total} values re-encrypted with the current key."))

    def rotate(self, model, field) -> int:
        # Cast to a plain text column so the ORM hands back the stored ciphertext, not plaintext.
        stored = (
            model._default_manager.exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .annotate(stored=Cast(field.attname, TextField()))
            .values_list("pk", "stored")
            .order_by("pk")
        )
        rotated, last_pk = 0, None
        while True:
            batch = stored.filter(pk__gt=last_pk) if last_pk is not None else stored
            rows = list(batch[:BATCH_SIZE])
            if not rows:
                return rotated
            last_pk = rows[-1][0]
            stale = [pk for pk, value in rows if not sealed_with_current_key(value)]
            with transaction.atomic():
                for instance in model._default_manager.filter(pk__in=stale).only("pk", field.attname):
                    # Assigning the plaintext makes get_prep_value seal it under the newest key;
                    # update() keeps save() hooks and the audit log out of a pure re-encryption.
                    model._default_manager.filter(pk=instance.pk).update(
                        **{field.attname: getattr(instance, field.attname)}
                    )
                    rotated += 1
