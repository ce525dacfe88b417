"""The in-app inbox; email and SMS go out as a daily digest unless a notification is urgent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("Category"), max_length=64)
    title = models.CharField(_("Title"), max_length=200)
    body = models.TextField(_("Content"), blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    # Urgent ones (overdue items) go out at once on every channel instead of waiting for the digest.
    is_urgent = models.BooleanField(_("Urgent"), default=False)
    # A caller-chosen key ("reply-due-7:assignment-42") so that a retried sweep creates no twin.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Notification")
        verbose_name_plural = _("Notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_unique_dedupe_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            # notify_many looks a batch's keys up for every recipient at once (congress.notifications.bulk).
            models.Index(fields=["dedupe_key"], name="notification_dedupe_key"),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One message sent on one channel: a day's digest or one urgent notification.

    The row is written (claimed) before anything is sent, and a unique constraint makes the claim
    exclusive, so a re-run sweep or a second worker cannot send the same digest twice. A claim
    whose sending crashed stays `pending` and is finished by the next sweep.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Not sent yet")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Sending failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, choices=Notification.Channel.choices)
    # The digest day, or empty for an urgent single message.
    digest_day = models.DateField(null=True, blank=True)
    notifications = models.ManyToManyField(Notification, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Notification delivery")
        verbose_name_plural = _("Notification deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_day"],
                condition=models.Q(digest_day__isnull=False),
                name="delivery_one_digest_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.get_status_display()}"
