"""Many inbox notifications in a fixed number of queries, for every app's reminder sweeps.

`congress.notifications.services.notify()` writes one notification kind per call, so a sweep over
a thousand due items would cost a thousand calls. `notify_many()` keeps its semantics (a
`dedupe_key` per recipient is written once, whoever runs first; urgent ones are sent right after
the commit) for a whole batch: one read of the keys already used, one insert, one read-back of
the urgent rows.
"""

import dataclasses
from collections.abc import Iterable

from django.db import transaction

from congress.models import Notification


@dataclasses.dataclass(frozen=True)
class Reminder:
    recipient_ids: frozenset[int]
    kind: str
    title: str
    dedupe_key: str
    body: str = ""
    url: str = ""
    urgent: bool = False


@transaction.atomic
def notify_many(reminders: Iterable[Reminder]) -> int:
    """Write the reminders not written before; returns how many inbox rows were created."""
    reminders = [reminder for reminder in reminders if reminder.recipient_ids]
    if not reminders:
        return 0
    keys = {reminder.dedupe_key for reminder in reminders}
    existing = set(Notification.objects.filter(dedupe_key__in=keys).values_list("recipient_id", "dedupe_key"))
    rows = [
        Notification(
            recipient_id=recipient_id,
            kind=reminder.kind,
            title=reminder.title[:200],
            body=reminder.body,
            url=reminder.url,
            is_urgent=reminder.urgent,
            dedupe_key=reminder.dedupe_key,
        )
        for reminder in reminders
        for recipient_id in sorted(reminder.recipient_ids)
        if (recipient_id, reminder.dedupe_key) not in existing
    ]
    if not rows:
        return 0
    # A concurrent sweep may have written some of these since the read: the unique constraint
    # (recipient, dedupe_key) drops them instead of failing the batch.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    urgent_keys = {row.dedupe_key for row in rows if row.is_urgent}
    if urgent_keys:
        from congress import tasks

        for pk, recipient_id, key in Notification.objects.filter(dedupe_key__in=urgent_keys).values_list(
            "pk", "recipient_id", "dedupe_key"
        ):
            if (recipient_id, key) not in existing:
                # Sending is idempotent per channel (`urgent_send`), so a twin sweep that also
                # queues this row sends nothing twice.
                tasks.send_urgent_notification.delay_on_commit(pk)
    return len(rows)
