"""Reads for the inbox pages."""

from django.db.models import Case, IntegerField, Value, When

from congress.models import Notification


def inbox(user, *, unread_only: bool = False):
    """The user's own notifications, unread first, then newest first."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by(
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-created_at",
        "-pk",
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()
