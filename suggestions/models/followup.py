"""Key suggestions with their progress log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KeySuggestion(models.Model):
    """A proposal designated key (重点建议) by the chairpersons' meeting for one year."""

    proposal = models.ForeignKey("suggestions.Proposal", on_delete=models.PROTECT, related_name="key_designations")
    year = models.PositiveSmallIntegerField(_("Year"))
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Supervising leader"), on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "congress.Committee", verbose_name=_("Supervising committee"), on_delete=models.PROTECT, related_name="+"
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_on = models.DateField(_("Designated on"))
    carried_over_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_over_to"
    )
    is_solved = models.BooleanField(_("Solved"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Key suggestion")
        verbose_name_plural = _("Key suggestions")
        ordering = ["-year", "proposal"]
        constraints = [models.UniqueConstraint(fields=["proposal", "year"], name="key_suggestion_once_a_year")]

    def __str__(self):
        return f"{self.year}: {self.proposal}"


class KeySuggestionProgress(models.Model):
    key_suggestion = models.ForeignKey(KeySuggestion, on_delete=models.CASCADE, related_name="progress")
    noted_on = models.DateField(_("Date"))
    note = models.TextField(_("Progress"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Key suggestion progress")
        verbose_name_plural = _("Key suggestion progress")
        ordering = ["key_suggestion", "noted_on", "pk"]

    def __str__(self):
        return f"{self.noted_on}: {self.note[:40]}"
