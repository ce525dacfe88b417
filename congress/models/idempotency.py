"""Stored outcomes of API POSTs sent with an `Idempotency-Key` header (SECURITY S22)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One client key, scoped to (user, method, path, key), and the response it produced.

    The row is inserted in the same transaction as the write it guards, so the unique constraint
    serialises two requests carrying the same key: the second insert waits for the first
    transaction and then finds the committed row (and replays it), or finds nothing if the first
    rolled back. `fingerprint` is a digest of the request body: the same key with another body is
    a client bug, refused rather than replayed. Rows expire (`expires_at`) and are purged by
    `congress.idempotency.idempotency_keys_purge`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    # Null while the request that inserted the row is still running.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("Idempotency key")
        verbose_name_plural = _("Idempotency keys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "method", "path", "key"], name="idempotency_key_once_per_scope"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} {self.key}"

    @property
    def is_complete(self) -> bool:
        return self.status_code is not None
