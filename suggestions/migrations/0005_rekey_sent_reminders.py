"""Give the reminders already sent the inbox keys of the new sweeps, before their log is dropped.

The sweeps used to key each notification by its `ReminderLog` row ("reminder:<log id>"); they now
key it by kind, item and threshold (`suggestions.services.reminders.reminder_key`). Without this
step every item still inside a reminder window on the day of the upgrade would be reminded a
second time. Recorded reminders that were never sent are left to the next sweep, which finds the
items still due. Notifications are read in primary-key batches, a fixed number of queries each.
"""

from django.db import migrations

BATCH_SIZE = 1000
OLD_PREFIX = "reminder:"


def _log_id(key: str) -> int | None:
    rest = key.removeprefix(OLD_PREFIX)
    return int(rest) if rest.isdigit() else None


def rekey(apps, schema_editor):
    Notification = apps.get_model("congress", "Notification")
    ReminderLog = apps.get_model("suggestions", "ReminderLog")
    old = Notification.objects.filter(kind__startswith="suggestions.reminder.", dedupe_key__startswith=OLD_PREFIX)
    last_pk = 0
    while True:
        batch = list(old.filter(pk__gt=last_pk).order_by("pk").only("pk", "dedupe_key")[:BATCH_SIZE])
        if not batch:
            return
        last_pk = batch[-1].pk
        log_ids = {row.pk: _log_id(row.dedupe_key) for row in batch}
        logs = ReminderLog.objects.in_bulk({log_id for log_id in log_ids.values() if log_id is not None})
        changed = []
        for row in batch:
            log = logs.get(log_ids[row.pk])
            if log is not None:
                # Frozen copy of reminder_key(): a migration must not follow later code changes.
                row.dedupe_key = f"suggestions-{log.kind}:{log.object_id}:{log.threshold}"
                changed.append(row)
        Notification.objects.bulk_update(changed, ["dedupe_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0001_initial"),
        ("suggestions", "0004_face_to_face_sessions"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
