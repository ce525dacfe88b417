"""Station activities: 请进来 and 走出去 events and themed activities (代表有约)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StationActivity(models.Model):
    class Kind(models.TextChoices):
        BRING_IN = "bring_in", _("Invite in (请进来)")
        GO_OUT = "go_out", _("Go out (走出去)")
        THEMED = "themed", _("Themed activity (代表有约)")

    station = models.ForeignKey("contact_stations.Station", on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("Title"), max_length=200)
    theme = models.CharField(_("Theme"), max_length=200, blank=True)
    date = models.DateField(_("Date"))
    place = models.CharField(_("Place"), max_length=200, blank=True)
    description = models.TextField(_("Description"), blank=True)
    outcome = models.TextField(_("Outcome"), blank=True)
    participants = models.ManyToManyField(
        "deputies.Deputy", blank=True, related_name="station_activities", verbose_name=_("Deputies taking part")
    )
    citizen_count = models.PositiveIntegerField(_("Citizens taking part"), null=True, blank=True)
    # Only a published activity, and its photos, appear on the station's public page.
    is_public = models.BooleanField(_("Shown on the public station page"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Station activity")
        verbose_name_plural = _("Station activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["station", "date"], name="station_activity_date")]

    def __str__(self):
        return self.title


class StationActivityPhoto(models.Model):
    """A photo of an activity, stored under MEDIA_ROOT (outside the web root) and served only
    through the console and public photo views, which check who may see it (SECURITY S16)."""

    activity = models.ForeignKey(StationActivity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("Photo"), upload_to="contact_stations/activities/")
    caption = models.CharField(_("Caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Activity photo")
        verbose_name_plural = _("Activity photos")
        ordering = ["activity", "pk"]

    def __str__(self):
        return self.caption or self.image.name
