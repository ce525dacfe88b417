"""The hash chain over the audit trail (SECURITY S21): one seal per audit row, in sealing order."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditStream(models.TextChoices):
    # django-auditlog's field-level change rows, and the services' business event rows.
    AUDITLOG = "auditlog", _("Field changes")
    EVENT = "event", _("Business events")


class AuditChainHead(models.Model):
    """Where a stream's chain ends. Sealers lock this row, so two of them never fork the chain."""

    stream = models.CharField(_("Stream"), max_length=16, choices=AuditStream.choices, primary_key=True)
    last_entry_id = models.BigIntegerField(_("Last sealed row"), default=0)
    last_digest = models.CharField(_("Last digest"), max_length=64, blank=True)
    sealed_count = models.BigIntegerField(_("Rows sealed"), default=0)
    # Where the retention purge cut the chain: its first remaining seal must follow this digest.
    purged_through_entry_id = models.BigIntegerField(_("Purged through row"), default=0)
    purged_through_digest = models.CharField(_("Digest at the purge"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Audit chain head")
        verbose_name_plural = _("Audit chain heads")

    def __str__(self):
        return f"{self.stream}@{self.last_entry_id}"


class AuditSeal(models.Model):
    """digest = SHA-256(previous digest ‖ the audit row's canonical content).

    The previous digest is stored too, so that a chain whose oldest rows were purged after the
    retention period can still be verified from its first remaining seal.
    """

    stream = models.CharField(_("Stream"), max_length=16, choices=AuditStream.choices)
    entry_id = models.BigIntegerField(_("Audit row"))
    prev_digest = models.CharField(_("Previous digest"), max_length=64, blank=True)
    digest = models.CharField(_("Digest"), max_length=64)
    sealed_at = models.DateTimeField(_("Sealed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Audit seal")
        verbose_name_plural = _("Audit seals")
        ordering = ["stream", "entry_id"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "entry_id"], name="audit_seal_one_per_row"),
        ]

    def __str__(self):
        return f"{self.stream}#{self.entry_id} {self.digest[:12]}"
