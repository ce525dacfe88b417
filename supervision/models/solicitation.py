"""Topic solicitation (征集): the yearly window and the proposals deputies, citizens and staff send in."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.fields import BlindIndexField, EncryptedTextField


def default_window(year: int) -> tuple[datetime.date, datetime.date]:
    """Topics for next year's plan are gathered in the fourth quarter (DESIGN §5)."""
    return datetime.date(year, 10, 1), datetime.date(year, 12, 31)


class SolicitationWindow(models.Model):
    """The period in which the public may propose topics for the plan of `year`."""

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="solicitation_windows"
    )
    # The plan year the topics are gathered for (the window itself runs in the year before).
    year = models.PositiveSmallIntegerField(_("Plan year"))
    opens_on = models.DateField(_("Opens on"))
    closes_on = models.DateField(_("Closes on"))
    announcement = models.TextField(_("Announcement"), blank=True)
    closed_at = models.DateTimeField(_("Closed early at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Topic solicitation")
        verbose_name_plural = _("Topic solicitations")
        ordering = ["-year", "body"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="solicitation_one_per_body_year"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="solicitation_closes_after"),
        ]

    def __str__(self):
        return _("Topic solicitation for %(year)s") % {"year": self.year}

    def is_open(self, day: datetime.date) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on


class TopicProposal(models.Model):
    """A proposed supervision topic. Merged proposals keep their own row and point to the one they
    joined (`merged_into`), so the plan can show every proposal behind a topic."""

    class Channel(models.TextChoices):
        DEPUTY_SUGGESTION = "deputy_suggestion", _("Deputies’ suggestions")
        MEMBERS = "members", _("Standing committee members")
        COMMITTEE_RESEARCH = "committee_research", _("Committee research")
        LETTERS_VISITS = "letters_visits", _("Letters and visits")
        PUBLIC = "public", _("The public")
        LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement inspection findings")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        MERGED = "merged", _("Merged")
        ADOPTED = "adopted", pgettext_lazy("topic proposal", "Adopted")
        DECLINED = "declined", pgettext_lazy("topic proposal", "Declined")

    TRANSITIONS = {
        State.SUBMITTED: (State.MERGED, State.ADOPTED, State.DECLINED),
    }

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="topic_proposals"
    )
    window = models.ForeignKey(
        SolicitationWindow, verbose_name=_("Solicitation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals",
    )
    year = models.PositiveSmallIntegerField(_("Plan year"))
    title = models.CharField(_("Title"), max_length=200)
    necessity = models.TextField(_("Why it is needed"))
    problem = models.TextField(_("Problem seen"), blank=True)
    channel = models.CharField(pgettext_lazy("topic proposal", "Channel"), max_length=24, choices=Channel.choices)
    proposer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Proposed by (account)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    proposer_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Proposing deputy"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="topic_proposals",
    )
    proposer_committee = models.ForeignKey(
        "congress.Committee", verbose_name=_("Proposing committee"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    citizen_name = models.CharField(_("Citizen’s name"), max_length=64, blank=True)
    citizen_phone = EncryptedTextField(_("Citizen’s phone"), blank=True, default="")
    citizen_phone_index = BlindIndexField(source="citizen_phone")
    phone_verified = models.BooleanField(_("Phone verified"), default=False)
    # The region a township office collected the proposal in (API), for its own list.
    source_region = models.ForeignKey(
        "congress.Region", verbose_name=_("Collected in"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    decline_reason = models.TextField(_("Reason for declining"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("Merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged",
    )
    adopted_topic = models.ForeignKey(
        "supervision.Topic", verbose_name=_("Adopted as topic"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="source_proposals",
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Topic proposal")
        verbose_name_plural = _("Topic proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["body", "year", "state"], name="topicproposal_body_year_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False), name="topicproposal_merged_has_target"
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="topicproposal_declined_has_reason"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def proposer_label(self) -> str:
        if self.proposer_deputy_id:
            return str(self.proposer_deputy)
        if self.proposer_committee_id:
            return str(self.proposer_committee)
        if self.citizen_name:
            return self.citizen_name
        return str(self.proposer_user or "")
