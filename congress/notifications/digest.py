"""The daily digest: at most one message per person, per channel, per day.

The sweep is set-based. For each channel it pages through the people who have unread, non-urgent
notifications not yet carried on that channel, claims a `Delivery` row for (person, channel,
today) for a whole batch in one insert, attaches the notifications, commits, and only then sends.
The unique constraint `delivery_one_digest_per_day` makes the claim exclusive: a second sweep
running at the same time fails its insert, re-reads who is taken and claims only the rest. The
cost is a fixed number of queries per batch, whatever the number of people.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from congress.models import Delivery, Notification, User
from congress.notifications.channels import CHANNELS, Channel
from congress.notifications.delivery import DeliveryLink, dispatch, retry_pending

# Older unread notifications are left to the inbox rather than mailed weeks late.
LOOKBACK = timedelta(days=14)
BATCH_SIZE = 200
CLAIM_TRIES = 3


def undelivered(channel: Channel, *, now):
    """Unread, non-urgent notifications that no delivery on `channel` has carried yet."""
    return Notification.objects.filter(
        is_urgent=False, read_at__isnull=True, created_at__gte=now - LOOKBACK
    ).exclude(pk__in=DeliveryLink.objects.filter(delivery__channel=channel.name).values("notification_id"))


def _addressable(channel: Channel, users):
    if channel.name == Notification.Channel.EMAIL:
        return users.exclude(email="")
    return users.exclude(phone="")


def due_recipients(channel: Channel, *, today, now):
    """People who should get today's digest on `channel` and have not had it yet."""
    users = User.objects.filter(
        is_active=True, pk__in=undelivered(channel, now=now).values("recipient_id")
    ).exclude(pk__in=Delivery.objects.filter(channel=channel.name, digest_day=today).values("recipient_id"))
    return _addressable(channel, users)


def claim(channel: Channel, *, recipient_ids: list[int], today, now) -> list[int]:
    """Claim today's digest on `channel` for these people; returns the ids of the new deliveries."""
    for _try in range(CLAIM_TRIES):
        try:
            with transaction.atomic():
                taken = set(
                    Delivery.objects.filter(
                        channel=channel.name, digest_day=today, recipient_id__in=recipient_ids
                    ).values_list("recipient_id", flat=True)
                )
                by_recipient = defaultdict(list)
                for notification_id, recipient_id in (
                    undelivered(channel, now=now)
                    .filter(recipient_id__in=[pk for pk in recipient_ids if pk not in taken])
                    .values_list("pk", "recipient_id")
                ):
                    by_recipient[recipient_id].append(notification_id)
                if not by_recipient:
                    return []
                deliveries = Delivery.objects.bulk_create(
                    [
                        Delivery(recipient_id=recipient_id, channel=channel.name, digest_day=today, attempts=1)
                        for recipient_id in sorted(by_recipient)
                    ]
                )
                DeliveryLink.objects.bulk_create(
                    [
                        DeliveryLink(delivery_id=delivery.pk, notification_id=notification_id)
                        for delivery in deliveries
                        for notification_id in by_recipient[delivery.recipient_id]
                    ]
                )
                return [delivery.pk for delivery in deliveries]
        except IntegrityError:
            # A concurrent sweep claimed some of these people first; read again and take the rest.
            continue
    return []


def send_daily_digests(*, now=None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Finish stale pending deliveries, then claim and send today's digests on every channel."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = retry_pending(now=now, batch_size=batch_size)
    summary["claimed"] = 0
    for channel in CHANNELS.values():
        after = 0
        while True:
            recipient_ids = list(
                due_recipients(channel, today=today, now=now)
                .filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not recipient_ids:
                break
            after = recipient_ids[-1]
            claimed = claim(channel, recipient_ids=recipient_ids, today=today, now=now)
            summary["claimed"] += len(claimed)
            for key, value in dispatch(claimed).items():
                summary[key] += value
    return summary
