"""Dialogues between deputies and a department (半月谈, 季度议) and what comes of them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DialogueSeries(models.Model):
    class Format(models.TextChoices):
        HALF_MONTH = "half_month", _("Half-month talk")
        QUARTERLY = "quarterly", _("Quarterly discussion")

    body = models.ForeignKey("congress.Body", on_delete=models.PROTECT, related_name="dialogue_series")
    name = models.CharField(_("Name"), max_length=100)
    format = models.CharField(_("Format"), max_length=16, choices=Format.choices)
    year = models.PositiveSmallIntegerField(_("Year"))
    committee = models.ForeignKey("congress.Committee", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("Dialogue series")
        verbose_name_plural = _("Dialogue series")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "name"], name="dialogueseries_unique")]

    def __str__(self):
        return self.name


class Dialogue(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    TRANSITIONS = {State.PLANNED: (State.HELD,)}

    series = models.ForeignKey(DialogueSeries, on_delete=models.PROTECT, related_name="dialogues")
    theme = models.CharField(_("Theme"), max_length=200)
    committee = models.ForeignKey("congress.Committee", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    unit = models.ForeignKey("congress.Unit", verbose_name=_("Department"), on_delete=models.PROTECT,
                             related_name="+")
    date = models.DateField(_("Date"))
    deputies = models.ManyToManyField("deputies.Deputy", verbose_name=_("Attending deputies"), blank=True,
                                      related_name="supervision_dialogues")
    record = models.TextField(pgettext_lazy("minutes", "Record"), blank=True)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.PLANNED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Dialogue")
        verbose_name_plural = _("Dialogues")
        ordering = ["series", "date"]

    def __str__(self):
        return self.theme


class DialogueOutcome(models.Model):
    """Something a dialogue produced; it may become a deputy's suggestion draft or a topic proposal."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField(_("Outcome"))
    deputy = models.ForeignKey("deputies.Deputy", verbose_name=_("Deputy taking it up"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    suggestion = models.ForeignKey("suggestions.Proposal", verbose_name=_("Suggestion draft"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    topic_proposal = models.ForeignKey("supervision.TopicProposal", verbose_name=_("Topic proposal"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="dialogue_outcomes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Dialogue outcome")
        verbose_name_plural = _("Dialogue outcomes")
        ordering = ["dialogue", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suggestion__isnull=True) | Q(topic_proposal__isnull=True), name="outcome_one_follow_up"
            ),
        ]

    def __str__(self):
        return self.text[:50]
