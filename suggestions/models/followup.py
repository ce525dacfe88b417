"""Key suggestions with their progress log, and the log of reminders sent by the sweeps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class ReminderLog(models.Model):
    """One reminder (kind, object, threshold), recorded before it is sent.

    The unique constraint makes the record the claim: a re-run or a second beat inserts nothing
    new. `sent_at` stays empty until the notifications are written, so a sweep killed in between
    leaves the row for the next run to finish; `claim_token`/`claimed_at` keep two live sweeps
    from finishing the same row at once.
    """

    class Kind(models.TextChoices):
        INTAKE_DUE = "intake_due", _("Assignment of a recess proposal due")
        OBJECTION_CLOSING = "objection_closing", _("Objection window closing")
        CO_OPINION_DUE = "co_opinion_due", _("Co-handler opinion due")
        REPLY_DUE = "reply_due", _("Reply due soon")
        OVERDUE = "overdue", _("Reply overdue")
        RATING_PENDING = "rating_pending", _("Rating pending")
        REHANDLING_DUE = "rehandling_due", _("Re-handling order due")
        COMMITMENT_DUE = "commitment_due", _("Commitment due")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    object_id = models.BigIntegerField()
    threshold = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Reminder log")
        verbose_name_plural = _("Reminder logs")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "threshold"], name="reminder_once"),
        ]
        indexes = [
            models.Index(fields=["kind", "created_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}:{self.threshold}"
