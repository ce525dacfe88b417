"""Reports to voters (述职评议): the meeting, its questions, and the voters' satisfaction ballot."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class VoterReportQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.exclude(state=VoterReport.State.CANCELLED)


class VoterReport(models.Model):
    """A deputy reports on their duties before voter representatives, who then vote on it.

    Planned per term (every deputy at least once); held at a station with at least the body's
    minimum of voter representatives; the ballot is open while the report is `held`. Closing
    the ballot stores the final tally; more than half 不满意 moves the report to
    `rectification_required`, and only a written rectification plan closes it.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held, ballot open")
        RECTIFICATION_REQUIRED = "rectification_required", _("Rectification plan required")
        CLOSED = "closed", pgettext_lazy("report to voters", "Closed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        State.PLANNED: (State.HELD, State.CANCELLED),
        State.HELD: (State.CLOSED, State.RECTIFICATION_REQUIRED),
        State.RECTIFICATION_REQUIRED: (State.CLOSED,),
    }

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("congress.Term", verbose_name=_("Term"), on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Deputy"), on_delete=models.PROTECT, related_name="voter_reports"
    )
    state = models.CharField(_("State"), max_length=24, choices=State.choices, default=State.PLANNED)
    scheduled_on = models.DateField(_("Scheduled date"))
    # The contact station arrives with its app; until then the place is text plus the region.
    place = models.CharField(_("Place"), max_length=200)
    region = models.ForeignKey(
        "congress.Region", verbose_name=_("Region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("Held on"), null=True, blank=True)
    representatives_present = models.PositiveIntegerField(_("Voter representatives present"), null=True, blank=True)
    # The rule that applied when the meeting was recorded (rules_for(body).voter_report_min_representatives).
    representatives_minimum = models.PositiveIntegerField(_("Minimum of voter representatives"), null=True, blank=True)
    report_text = models.TextField(_("Report"), blank=True)
    attachment = models.FileField(_("Attachment"), upload_to="deputies/voter_reports/", blank=True)
    # The final tally, stored when the ballot closes (the live tally is computed from the slips).
    satisfied = models.PositiveIntegerField(_("Satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("Basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(_("Unsatisfied"), default=0)
    ballot_closed_at = models.DateTimeField(_("Ballot closed at"), null=True, blank=True)
    rectification_due = models.DateField(_("Rectification plan due"), null=True, blank=True)
    rectification_plan = models.TextField(_("Rectification plan"), blank=True)
    rectification_submitted_at = models.DateTimeField(_("Plan submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VoterReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("Report to voters")
        verbose_name_plural = _("Reports to voters")
        ordering = ["-scheduled_on", "-pk"]
        indexes = [
            models.Index(fields=["body", "term", "state"], name="voter_report_body_term_state"),
            models.Index(fields=["state", "rectification_due"], name="voter_report_rectification"),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.scheduled_on}"

    @property
    def total_votes(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


class VoterReportQuestion(models.Model):
    """A question a voter asked at the meeting, and the deputy's answer."""

    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.CharField(_("Asked by"), max_length=100, blank=True)
    question = models.TextField(_("Question"))
    answer = models.TextField(_("Answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Question")
        verbose_name_plural = _("Questions")
        ordering = ["report", "pk"]

    def __str__(self):
        return self.question[:50]


class BallotSlip(models.Model):
    """One single-use ballot link (printed as a slip or a QR code) of a report's ballot.

    Only the SHA-256 digest of the slip's random token is stored: the link is shown once, when
    the slips are generated for printing, and nobody can read it back later to vote with it.
    """

    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="slips")
    serial = models.PositiveIntegerField(_("Serial number"))
    token_digest = models.CharField(max_length=64, unique=True)
    choice = models.CharField(_("Vote"), max_length=24, choices=Satisfaction.choices, blank=True)
    voted_at = models.DateTimeField(_("Voted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Ballot slip")
        verbose_name_plural = _("Ballot slips")
        ordering = ["report", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["report", "serial"], name="ballot_slip_unique_serial"),
            models.CheckConstraint(
                condition=Q(choice="", voted_at__isnull=True) | (~Q(choice="") & Q(voted_at__isnull=False)),
                name="ballot_slip_vote_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.report} #{self.serial}"


class PaperTally(models.Model):
    """Counts from paper ballots, entered by staff; several entries (ballot boxes) add up."""

    report = models.ForeignKey(VoterReport, on_delete=models.CASCADE, related_name="paper_tallies")
    satisfied = models.PositiveIntegerField(_("Satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("Basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(_("Unsatisfied"), default=0)
    note = models.CharField(_("Note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Paper tally")
        verbose_name_plural = _("Paper tallies")
        ordering = ["report", "pk"]

    def __str__(self):
        return f"{self.report}: {self.satisfied}/{self.basically_satisfied}/{self.unsatisfied}"
