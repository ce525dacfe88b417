"""Sending claimed deliveries, and finishing the ones a crash left pending.

Every message is claimed before it is sent: a `Delivery` row written in a transaction (with its
notifications attached) is the record that the message is due. Sending happens after the claim
commits; the outcome is written in bulk. A worker killed between claim and outcome leaves the row
`pending`, and the next sweep sends it again after `RETRY_AFTER`, at most `MAX_ATTEMPTS` times.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from congress.models import Delivery
from congress.notifications.channels import CHANNELS

MAX_ATTEMPTS = 3
# Long enough that a send still running on another worker is not taken for a crash.
RETRY_AFTER = timedelta(minutes=10)

DeliveryLink = Delivery.notifications.through


def dispatch(delivery_ids: list[int]) -> dict[str, int]:
    """Send the pending deliveries among `delivery_ids`; a fixed number of queries per call."""
    summary = {"sent": 0, "failed": 0, "pending": 0}
    if not delivery_ids:
        return summary
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
        .select_related("recipient")
        .prefetch_related("notifications")
    )
    by_channel = defaultdict(list)
    for delivery in deliveries:
        by_channel[delivery.channel].append(delivery)
    errors: dict[int, str] = {}
    for channel_name, batch in by_channel.items():
        channel = CHANNELS[channel_name]
        sendable = [delivery for delivery in batch if delivery.notifications.all()]
        errors.update({delivery.pk: "nothing to send" for delivery in batch if delivery not in sendable})
        errors.update(channel.send(sendable))

    sent = [pk for pk, error in errors.items() if not error]
    if sent:
        Delivery.objects.filter(pk__in=sent, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
        )
    failed = []
    for delivery in deliveries:
        error = errors.get(delivery.pk)
        if not error:
            continue
        delivery.error = error[:1000]
        delivery.status = Delivery.Status.FAILED if delivery.attempts >= MAX_ATTEMPTS else Delivery.Status.PENDING
        failed.append(delivery)
    if failed:
        Delivery.objects.bulk_update(failed, ["status", "error"])
    summary["sent"] = len(sent)
    summary["failed"] = sum(1 for delivery in failed if delivery.status == Delivery.Status.FAILED)
    summary["pending"] = len(failed) - summary["failed"]
    return summary


def retry_pending(*, now=None, batch_size: int = 200) -> dict[str, int]:
    """Finish deliveries left pending by a crash or a failed send, a batch at a time."""
    now = now or timezone.now()
    threshold = now - RETRY_AFTER
    summary = {"retried": 0, "sent": 0, "failed": 0, "pending": 0}
    # Claims that used up their attempts are given up, so that a poisoned message stops here.
    summary["failed"] += Delivery.objects.filter(
        status=Delivery.Status.PENDING, claimed_at__lt=threshold, attempts__gte=MAX_ATTEMPTS
    ).update(status=Delivery.Status.FAILED, error="gave up after the last attempt")
    while True:
        with transaction.atomic():
            # The row lock (an IMMEDIATE transaction on SQLite) and the fresh claimed_at make the
            # retry exclusive: a concurrent sweep waits, then no longer finds these rows stale.
            ids = list(
                Delivery.objects.select_for_update()
                .filter(status=Delivery.Status.PENDING, claimed_at__lt=threshold, attempts__lt=MAX_ATTEMPTS)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            Delivery.objects.filter(pk__in=ids).update(claimed_at=now, attempts=F("attempts") + 1)
        summary["retried"] += len(ids)
        for key, value in dispatch(ids).items():
            summary[key] += value
    return summary
