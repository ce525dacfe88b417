"""The annual supervision plan, its published versions, and its topics with their milestones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AnnualPlan(models.Model):
    """年度监督计划: drafted by the office, adopted by the chairpersons' meeting, published, adjusted.

    An adjustment reopens a published plan (with a reason) and publishing it again records a new
    `PlanVersion`, so every version the public has seen stays readable.
    """

    class State(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        SUBMITTED = "submitted", _("Submitted to the chairpersons’ meeting")
        ADOPTED = "adopted", _("Adopted")
        PUBLISHED = "published", _("Published")
        ADJUSTING = "adjusting", _("Being adjusted")

    TRANSITIONS = {
        State.DRAFTED: (State.SUBMITTED,),
        State.SUBMITTED: (State.ADOPTED, State.DRAFTED),
        State.ADOPTED: (State.PUBLISHED,),
        State.PUBLISHED: (State.ADJUSTING,),
        State.ADJUSTING: (State.PUBLISHED,),
    }
    EDITABLE_STATES = (State.DRAFTED, State.ADJUSTING)

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="supervision_plans"
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    title = models.CharField(_("Title"), max_length=200)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.DRAFTED)
    adopted_at_session = models.ForeignKey(
        "congress.Session", verbose_name=_("Adopted at"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    adopted_on = models.DateField(_("Adopted on"), null=True, blank=True)
    # The reason of the adjustment in progress; copied to the version it publishes.
    adjustment_reason = models.TextField(_("Reason for the adjustment"), blank=True)
    published_version = models.PositiveSmallIntegerField(_("Published version"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Annual supervision plan")
        verbose_name_plural = _("Annual supervision plans")
        ordering = ["-year", "body"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="plan_one_per_body_year")]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES


class PlanVersion(models.Model):
    """One published text of the plan: a snapshot of its topics, never changed afterwards."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Version"))
    reason = models.TextField(_("Reason for the adjustment"), blank=True)
    snapshot = models.JSONField(_("Topics"), default=list)
    published_at = models.DateTimeField(_("Published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Published plan version")
        verbose_name_plural = _("Published plan versions")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self):
        return f"{self.plan} v{self.number}"


class TopicKind(models.TextChoices):
    WORK_REPORT = "work_report", _("Special work report")
    LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement inspection")
    INSPECTION = "inspection", _("Inspection")
    RESEARCH = "research", _("Research")
    WORK_EVALUATION = "work_evaluation", _("Special work evaluation")
    SPECIAL_INQUIRY = "special_inquiry", _("Special inquiry")
    BUDGET_AUDIT = "budget_audit", _("Budget or audit review")


# The three report milestones of Supervision Law art. 15, in the order they fall due:
# (topic field, rule in BodyRules).
MILESTONES = (
    ("report_to_committee", "report_to_committee_days"),
    ("report_to_standing_committee", "report_to_standing_committee_days"),
    ("report_to_members", "report_to_members_days"),
)


class Topic(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIBERATED = "deliberated", _("Deliberated")
        CLOSED = "closed", pgettext_lazy("supervision topic", "Closed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        State.PLANNED: (State.IN_PROGRESS, State.CANCELLED),
        State.IN_PROGRESS: (State.DELIBERATED, State.CANCELLED),
        State.DELIBERATED: (State.CLOSED,),
    }

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=pgettext_lazy("supervision plan", "Plan"), on_delete=models.PROTECT,
        related_name="topics",
    )
    kind = models.CharField(_("Kind"), max_length=24, choices=TopicKind.choices)
    title = models.CharField(_("Title"), max_length=200)
    description = models.TextField(_("Description"), blank=True)
    lead_committee = models.ForeignKey(
        "congress.Committee", verbose_name=_("Lead committee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supervision_topics",
    )
    supervised_units = models.ManyToManyField(
        "congress.Unit", verbose_name=_("Supervised units"), blank=True, related_name="supervision_topics"
    )
    meeting = models.ForeignKey(
        "congress.Session", verbose_name=_("Standing committee meeting"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supervision_topics",
    )
    # The day the standing committee hears the topic: the meeting's first day, or a planned date
    # before the meeting is numbered.
    meeting_date = models.DateField(_("Meeting date"), null=True, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Leader in charge"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.PLANNED)
    # Milestones of Supervision Law art. 15, each with the rule that produced it.
    report_to_committee_due = models.DateField(_("Report to the special committee by"), null=True, blank=True)
    report_to_standing_committee_due = models.DateField(
        _("Report to the standing committee by"), null=True, blank=True
    )
    report_to_members_due = models.DateField(_("Report to the members by"), null=True, blank=True)
    report_to_committee_done = models.DateField(_("Sent to the special committee on"), null=True, blank=True)
    report_to_standing_committee_done = models.DateField(
        _("Sent to the standing committee on"), null=True, blank=True
    )
    report_to_members_done = models.DateField(_("Sent to the members on"), null=True, blank=True)
    milestones_basis = models.JSONField(_("Basis of the milestones"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Supervision topic")
        verbose_name_plural = _("Supervision topics")
        ordering = ["plan", "meeting_date", "pk"]
        indexes = [models.Index(fields=["state", "meeting_date"], name="topic_state_meeting")]

    def __str__(self):
        return self.title

    @property
    def body(self):
        return self.plan.body

    def milestones(self) -> list[dict]:
        """The art. 15 milestones as rows for a page: name, due, done, basis."""
        return [
            {
                "name": name,
                "due": getattr(self, f"{name}_due"),
                "done": getattr(self, f"{name}_done"),
                "basis": self.milestones_basis.get(name),
            }
            for name, _rule in MILESTONES
        ]
