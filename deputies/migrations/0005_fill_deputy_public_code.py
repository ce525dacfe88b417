import secrets

from django.db import migrations

BATCH = 500


def fill_public_codes(apps, schema_editor):
    Deputy = apps.get_model("deputies", "Deputy")
    pending = list(Deputy.objects.filter(public_code__isnull=True).only("pk"))
    for deputy in pending:
        # The same draw as congress.fields.new_public_code, copied so the migration never changes.
        deputy.public_code = secrets.token_urlsafe(9)
    Deputy.objects.bulk_update(pending, ["public_code"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0004_deputy_public_code'),
    ]

    operations = [
        migrations.RunPython(fill_public_codes, migrations.RunPython.noop),
    ]
