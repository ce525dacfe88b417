"""Create the database cache table (the cache when REDIS_URL is unset: rate limits, sessions'
companions), so that `migrate` alone leaves a working installation; `createcachetable` is
idempotent and skips caches that are not database caches."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("congress", "0002_idempotency_key")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
