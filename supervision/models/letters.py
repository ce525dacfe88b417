"""来信来访: letters and visits to the standing committee, routed to a unit and answered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.fields import BlindIndexField, EncryptedTextField


class LetterVisit(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        VISIT = "visit", pgettext_lazy("letters and visits", "Visit")
        ONLINE = "online", _("Online")

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Routed to a unit")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {
        State.REGISTERED: (State.ROUTED, State.ANSWERED),
        State.ROUTED: (State.ANSWERED,),
        State.ANSWERED: (State.CLOSED,),
    }

    body = models.ForeignKey("congress.Body", on_delete=models.PROTECT, related_name="letters_visits")
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices)
    received_on = models.DateField(_("Received on"))
    theme = models.CharField(_("Theme"), max_length=64)
    summary = models.TextField(_("Summary"))
    petitioner_name = models.CharField(pgettext_lazy("person", "Name"), max_length=64, blank=True)
    petitioner_phone = EncryptedTextField(_("Phone"), blank=True, default="")
    petitioner_phone_index = BlindIndexField(source="petitioner_phone")
    region = models.ForeignKey("congress.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("congress.Unit", verbose_name=_("Routed to"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("Answer"), blank=True)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Letter or visit")
        verbose_name_plural = _("Letters and visits")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["body", "theme"], name="lettervisit_body_theme")]

    def __str__(self):
        return f"{self.received_on} · {self.theme}"
