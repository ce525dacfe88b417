"""Writing to the inbox, and sending urgent notifications at once.

`notify()` is what the other apps call. Inbox rows are written in the caller's transaction; channel
delivery is deferred until it commits, so a rolled-back action notifies nobody and a worker never
looks for a row that is not there yet.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from congress.models import Delivery, Notification, User
from congress.notifications.channels import CHANNELS
from congress.notifications.delivery import DeliveryLink, dispatch


def _recipient_ids(recipients: Iterable[User | int]) -> list[int]:
    return sorted({recipient if isinstance(recipient, int) else recipient.pk for recipient in recipients})


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | int],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    urgent: bool = False,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and schedule its delivery.

    With a `dedupe_key` ("reply-due-7:assignment-42") a recipient who already has a notification
    with that key gets no second one, so a retried or re-run sweep creates no twin; the returned
    list holds only the rows this call created. Urgent notifications are sent on every channel
    right after the commit; the others wait for the daily digest.
    """
    recipient_ids = _recipient_ids(recipients)
    if dedupe_key:
        already = set(
            Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=recipient_ids).values_list(
                "recipient_id", flat=True
            )
        )
        recipient_ids = [pk for pk in recipient_ids if pk not in already]
    if not recipient_ids:
        return []
    rows = [
        Notification(
            recipient_id=recipient_id,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            is_urgent=urgent,
            dedupe_key=dedupe_key or None,
        )
        for recipient_id in recipient_ids
    ]
    if dedupe_key:
        # A concurrent call with the same key may have won some rows since the read above: the
        # unique constraint drops those, and the rows are read back because IGNORE returns no ids.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=recipient_ids))
    else:
        created = Notification.objects.bulk_create(rows)
    if urgent:
        from congress import tasks  # the tasks module imports this one

        for notification in created:
            tasks.send_urgent_notification.delay_on_commit(notification.pk)
    return created


def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read; another person's raises DoesNotExist."""
    notification = Notification.objects.get(pk=notification_id, recipient=actor)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def urgent_send(*, notification_id: int) -> dict[str, int]:
    """Send one urgent notification on every channel its recipient can be reached on.

    The claim is taken under a lock on the notification, and a channel that already has a delivery
    for it is skipped, so a task delivered twice sends nothing twice.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, is_urgent=True)
            .first()
        )
        if notification is None or not notification.recipient.is_active:
            return {"sent": 0, "failed": 0, "pending": 0}
        done = set(
            Delivery.objects.filter(notifications=notification, digest_day__isnull=True).values_list(
                "channel", flat=True
            )
        )
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(recipient=notification.recipient, channel=channel.name, attempts=1)
                for channel in CHANNELS.values()
                if channel.name not in done and channel.address(notification.recipient)
            ]
        )
        DeliveryLink.objects.bulk_create(
            [DeliveryLink(delivery_id=delivery.pk, notification_id=notification.pk) for delivery in deliveries]
        )
    return dispatch([delivery.pk for delivery in deliveries])
