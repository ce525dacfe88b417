"""The event row every state change writes: the timeline of an object, never edited or deleted."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableRowError(Exception):
    """Raised when code tries to change or delete an audit row."""


class EventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
        )

    def update(self, **kwargs):
        raise ImmutableRowError("events cannot be edited")

    def delete(self):
        raise ImmutableRowError("events cannot be deleted")


class Event(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(_("Action"), max_length=64)
    from_state = models.CharField(_("From state"), max_length=32, blank=True)
    to_state = models.CharField(_("To state"), max_length=32, blank=True)
    note = models.TextField(_("Note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Event")
        verbose_name_plural = _("Events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="event_subject")]

    def __str__(self):
        return f"{self.verb} {self.from_state}→{self.to_state}"

    # Audit rows are append-only (SECURITY S21): these guards stop every ORM path that
    # would rewrite or remove one; the admin is read-only as well.
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError("events cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("events cannot be deleted")
