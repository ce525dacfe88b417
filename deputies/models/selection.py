"""The outstanding-deputy selection (优秀代表评选) of a congress for one year, and its nominations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Selection(models.Model):
    """One year's selection: the eligible pool and quota, town nominations, review, decision, list.

    The quota and the rule that produced it (percentage of the pool, rounded down) are stored
    when nominations open, so a later change of the rule or of the roster never moves it.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        NOMINATING = "nominating", _("Nominating")
        REVIEWING = "reviewing", _("Under review")
        DECIDED = "decided", _("Decided")
        PUBLISHED = "published", _("Published")

    # Review may send the list back to the towns; a decision is final once published.
    TRANSITIONS = {
        State.OPEN: (State.NOMINATING,),
        State.NOMINATING: (State.REVIEWING,),
        State.REVIEWING: (State.DECIDED, State.NOMINATING),
        State.DECIDED: (State.PUBLISHED,),
    }

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Year"))
    title = models.CharField(_("Title"), max_length=200)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.OPEN)
    pool_size = models.PositiveIntegerField(_("Eligible deputies"), default=0)
    quota_percent = models.PositiveSmallIntegerField(_("Quota (%)"), default=20)
    quota = models.PositiveIntegerField(_("Quota"), default=0)
    decision_note = models.TextField(_("Decision"), blank=True)
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Outstanding-deputy selection")
        verbose_name_plural = _("Outstanding-deputy selections")
        ordering = ["-year", "body"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="selection_one_per_body_year")]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    """A deputy put forward by their town with a reason; reviewed, then selected or not."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        RECOMMENDED = "recommended", _("Recommended")
        NOT_RECOMMENDED = "not_recommended", _("Not recommended")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name=_("Deputy"), on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey(
        "congress.Region", verbose_name=_("Town"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("Reason"))
    review = models.CharField(_("Review"), max_length=16, choices=Review.choices, default=Review.PENDING)
    review_note = models.TextField(_("Review note"), blank=True)
    outcome = models.CharField(_("Outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Nomination")
        verbose_name_plural = _("Nominations")
        ordering = ["selection", "town", "deputy__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "deputy"], name="nomination_once_per_deputy"),
        ]

    def __str__(self):
        return f"{self.selection} · {self.deputy}"
