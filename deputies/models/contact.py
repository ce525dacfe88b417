"""双联系: standing-committee members assigned to deputies, and the contacts they log."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ContactPair(models.Model):
    """A standing-committee member (a deputy themself) who keeps in touch with a deputy for a year."""

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Year"))
    member = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("Standing committee member"),
        on_delete=models.PROTECT,
        related_name="contact_pairs_as_member",
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Deputy"), on_delete=models.PROTECT, related_name="contact_pairs_as_deputy"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Contact pair")
        verbose_name_plural = _("Contact pairs")
        ordering = ["body", "-year", "member", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["member", "deputy", "year"], name="contact_pair_unique_per_year"),
            models.CheckConstraint(condition=~Q(member=F("deputy")), name="contact_pair_not_self"),
        ]

    def __str__(self):
        return f"{self.member} → {self.deputy} ({self.year})"


class ContactLog(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting or symposium")
        MESSAGE = "message", _("Message or online")
        OTHER = "other", _("Other")

    class Side(models.TextChoices):
        MEMBER = "member", _("Logged by the member")
        DEPUTY = "deputy", _("Logged by the deputy")
        STAFF = "staff", _("Logged by staff")

    pair = models.ForeignKey(ContactPair, on_delete=models.CASCADE, related_name="logs")
    date = models.DateField(_("Date"))
    channel = models.CharField(_("Channel"), max_length=16, choices=Channel.choices)
    content = models.TextField(_("Content"))
    logged_side = models.CharField(_("Logged by"), max_length=16, choices=Side.choices)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Contact log")
        verbose_name_plural = _("Contact logs")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.pair} {self.date}"
