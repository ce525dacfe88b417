"""Channels that carry notifications out of the inbox: email and SMS.

A channel knows which address of a user it needs and how to render and send one delivery (a day's
digest or one urgent notification). `send()` takes a batch so that email goes through one SMTP
connection; it returns the error text per delivery id, empty for a delivery that went out.
"""

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.models import Delivery, Notification
from congress.notifications import sms

SMS_MAX_LENGTH = 200


def absolute_url(url: str) -> str:
    """Links in inbox rows are site-relative; mail and SMS need the site's address in front."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


class Channel:
    name: str

    def address(self, user) -> str:
        raise NotImplementedError

    def send(self, deliveries: list[Delivery]) -> dict[int, str]:
        raise NotImplementedError


class EmailChannel(Channel):
    name = Notification.Channel.EMAIL

    def address(self, user) -> str:
        return user.email or ""

    def message(self, delivery: Delivery, connection) -> mail.EmailMultiAlternatives:
        notifications = list(delivery.notifications.all())
        recipient = delivery.recipient
        context = {
            "recipient": recipient,
            "notifications": [(n, absolute_url(n.url)) for n in notifications],
            "inbox_url": absolute_url("/"),
            "site_url": settings.SITE_URL,
        }
        if delivery.digest_day is None:
            subject = _("Tongxin (urgent): %(title)s") % {"title": notifications[0].title}
            template = "emails/notification_urgent"
        else:
            subject = ngettext(
                "Tongxin: %(count)d new notification",
                "Tongxin: %(count)d new notifications",
                len(notifications),
            ) % {"count": len(notifications)}
            template = "emails/notification_digest"
        message = mail.EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.address(recipient)],
            connection=connection,
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        return message

    def send(self, deliveries):
        errors = {}
        with translation.override(settings.LANGUAGE_CODE), mail.get_connection() as connection:
            for delivery in deliveries:
                if not self.address(delivery.recipient):
                    errors[delivery.pk] = "no email address"
                    continue
                try:
                    self.message(delivery, connection).send()
                except Exception as error:  # noqa: BLE001  (one bad address must not stop the batch)
                    errors[delivery.pk] = f"{type(error).__name__}: {error}"
                else:
                    errors[delivery.pk] = ""
        return errors


class SmsChannel(Channel):
    name = Notification.Channel.SMS

    def address(self, user) -> str:
        # The encrypted field holds the plaintext in Python; only the gateway sees it unmasked.
        return user.phone or ""

    def text(self, delivery: Delivery) -> str:
        notifications = list(delivery.notifications.all())
        if delivery.digest_day is None:
            text = _("Tongxin (urgent): %(title)s") % {"title": notifications[0].title}
        else:
            titles = "; ".join(n.title for n in notifications)
            text = ngettext(
                "Tongxin: %(count)d new notification: %(titles)s",
                "Tongxin: %(count)d new notifications: %(titles)s",
                len(notifications),
            ) % {"count": len(notifications), "titles": titles}
        return Truncator(text).chars(SMS_MAX_LENGTH)

    def send(self, deliveries):
        errors = {}
        backend = sms.get_backend()
        with translation.override(settings.LANGUAGE_CODE):
            for delivery in deliveries:
                phone = self.address(delivery.recipient)
                if not phone:
                    errors[delivery.pk] = "no phone number"
                    continue
                try:
                    backend.send(phone=phone, message=self.text(delivery))
                except Exception as error:  # noqa: BLE001  (a gateway hiccup is retried by the sweep)
                    errors[delivery.pk] = f"{type(error).__name__}: {error}"
                else:
                    errors[delivery.pk] = ""
        return errors


CHANNELS: dict[str, Channel] = {
    Notification.Channel.EMAIL: EmailChannel(),
    Notification.Channel.SMS: SmsChannel(),
}
