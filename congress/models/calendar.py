"""Staff overrides of the working-day calendar (a year's 调休 schedule is published late)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDayOverride(models.Model):
    day = models.DateField(_("Date"), unique=True)
    is_working_day = models.BooleanField(_("Working day"))
    reason = models.CharField(_("Reason"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Working-day adjustment")
        verbose_name_plural = _("Working-day adjustments")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.reason}"
