"""What a topic's group does: research visits, symposiums, inspections, and the reports units send."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionActivity(models.Model):
    class Kind(models.TextChoices):
        RESEARCH = "research", _("Research visit")
        SYMPOSIUM = "symposium", _("Symposium")
        INSPECTION = "inspection", _("Inspection")
        LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement inspection")

    topic = models.ForeignKey(
        "supervision.Topic", verbose_name=_("Topic"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("Title"), max_length=200)
    date = models.DateField(_("Date"))
    place = models.ForeignKey(
        "congress.Region", verbose_name=_("Town or street"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("Venue"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Standing committee members"), blank=True, related_name="+"
    )
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("Deputies"), blank=True, related_name="supervision_activities"
    )
    units = models.ManyToManyField("congress.Unit", verbose_name=_("Units"), blank=True, related_name="+")
    notes = models.TextField(_("Notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Supervision activity")
        verbose_name_plural = _("Supervision activities")
        ordering = ["topic", "date", "pk"]
        indexes = [models.Index(fields=["topic", "kind"], name="supactivity_topic_kind")]

    def __str__(self):
        return self.title


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("Photo"), upload_to="supervision/activities/")
    caption = models.CharField(_("Caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Activity photo")
        verbose_name_plural = _("Activity photos")
        ordering = ["activity", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class UnitReport(models.Model):
    """A supervised unit's special work report on a topic, uploaded by its officer."""

    topic = models.ForeignKey(
        "supervision.Topic", verbose_name=_("Topic"), on_delete=models.PROTECT, related_name="unit_reports"
    )
    unit = models.ForeignKey("congress.Unit", verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Title"), max_length=200)
    text = models.TextField(_("Text"), blank=True)
    file = models.FileField(_("File"), upload_to="supervision/reports/", blank=True)
    submitted_at = models.DateTimeField(_("Submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Unit’s work report")
        verbose_name_plural = _("Units’ work reports")
        ordering = ["topic", "-submitted_at"]

    def __str__(self):
        return self.title
