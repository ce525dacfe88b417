"""The duty record: activities, who took part and how, the score rules, and theme years."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    SESSION = "session", _("Congress session")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee meeting")
    INSPECTION = "inspection", _("Inspection")
    RESEARCH = "research", _("Research")
    LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement inspection")
    WORK_EVALUATION = "work_evaluation", _("Work evaluation")
    DIALOGUE = "dialogue", _("Dialogue")
    STATION_RECEPTION = "station_reception", _("Station reception shift")
    VOTER_VISIT = "voter_visit", _("Voter visit")
    TRAINING = "training", _("Training")
    VOTER_REPORT = "voter_report", _("Report to voters")
    SUGGESTION = "suggestion", _("Suggestion filed")
    MOTION = "motion", _("Motion filed")
    COMMITTEE_CONTACT = "committee_contact", _("Contact with a standing committee member")
    OTHER = "other", _("Other")


# Points and yearly cap per kind when a body has not set its own rule (None: no cap). Chosen so
# that a deputy who attends the session and does the ordinary duties of a year lands near 80.
DEFAULT_SCORE_RULES = {
    ActivityKind.SESSION: (10, 20),
    ActivityKind.STANDING_COMMITTEE: (5, 30),
    ActivityKind.INSPECTION: (5, 20),
    ActivityKind.RESEARCH: (5, 20),
    ActivityKind.LAW_ENFORCEMENT: (5, 15),
    ActivityKind.WORK_EVALUATION: (5, 15),
    ActivityKind.DIALOGUE: (4, 16),
    ActivityKind.STATION_RECEPTION: (5, 20),
    ActivityKind.VOTER_VISIT: (2, 10),
    ActivityKind.TRAINING: (3, 9),
    ActivityKind.VOTER_REPORT: (10, 10),
    ActivityKind.SUGGESTION: (4, 20),
    ActivityKind.MOTION: (10, 20),
    ActivityKind.COMMITTEE_CONTACT: (2, 8),
    ActivityKind.OTHER: (2, 6),
}


class ThemeYear(models.Model):
    """A named campaign of a body for one year (主题年, e.g. 争当表率促发展)."""

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Year"))
    name = models.CharField(_("Name"), max_length=100)
    description = models.TextField(_("Description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Theme year")
        verbose_name_plural = _("Theme years")
        ordering = ["body", "-year", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "name"], name="theme_year_unique_name")]

    def __str__(self):
        return f"{self.year} {self.name}"


class ScoreRule(models.Model):
    """How many points one attended activity of a kind earns, and the most a year may bring."""

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Activity kind"), max_length=32, choices=ActivityKind.choices)
    points = models.PositiveSmallIntegerField(_("Points per activity"))
    yearly_cap = models.PositiveSmallIntegerField(_("Yearly cap"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Score rule")
        verbose_name_plural = _("Score rules")
        ordering = ["body", "kind"]
        constraints = [models.UniqueConstraint(fields=["body", "kind"], name="score_rule_one_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.points}"


class DutyActivityQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(state=DutyActivity.State.VERIFIED)

    def pending(self):
        return self.filter(state=DutyActivity.State.PENDING)


class DutyActivity(models.Model):
    """Something deputies did in their capacity as deputies, with its participants.

    Activities recorded automatically by other apps point at the object that caused them
    (`source_object`), and a unique constraint makes the recording idempotent: filing the same
    suggestion twice, or a retried task, adds no second activity.
    """

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Recorded automatically")
        STAFF = "staff", _("Entered by staff")
        SELF_REPORTED = "self_reported", _("Reported by the deputy")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    # Only self-reported activities start pending; a rejected one may be corrected and resubmitted.
    TRANSITIONS = {
        State.PENDING: (State.VERIFIED, State.REJECTED),
        State.REJECTED: (State.PENDING,),
    }

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("Kind"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("Title"), max_length=200)
    date = models.DateField(_("Date"))
    place = models.CharField(_("Place"), max_length=200, blank=True)
    description = models.TextField(_("Description"), blank=True)
    source = models.CharField(_("Source"), max_length=16, choices=Source.choices)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.VERIFIED)
    rejection_reason = models.TextField(_("Reason for rejection"), blank=True)
    theme_year = models.ForeignKey(
        ThemeYear, verbose_name=_("Theme year"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "congress.Session", verbose_name=_("Meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_object_id = models.CharField(max_length=64, null=True, blank=True)
    source_object = GenericForeignKey("source_content_type", "source_object_id")
    # Replaces the rule's points for this activity only (e.g. a key motion); still under the cap.
    points_override = models.PositiveSmallIntegerField(_("Points (override)"), null=True, blank=True)
    attachment = models.FileField(_("Attachment"), upload_to="deputies/activities/", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = DutyActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Duty activity")
        verbose_name_plural = _("Duty activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "source_content_type", "source_object_id"],
                condition=Q(source_object_id__isnull=False),
                name="activity_once_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "date"], name="activity_body_date"),
            models.Index(fields=["state", "source"], name="activity_state_source"),
        ]

    def __str__(self):
        return self.title


class DutyParticipation(models.Model):
    """One deputy's part in an activity; points are earned per participation when present."""

    class Attendance(models.TextChoices):
        PRESENT = "present", _("Present")
        LEAVE_APPROVED = "leave_approved", _("Absent with approved leave")
        ABSENT = "absent", _("Absent without leave")

    activity = models.ForeignKey(DutyActivity, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="participations")
    attendance = models.CharField(
        _("Attendance"), max_length=16, choices=Attendance.choices, default=Attendance.PRESENT
    )
    note = models.CharField(_("Note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Participation")
        verbose_name_plural = _("Participations")
        ordering = ["activity", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="participation_once_per_deputy"),
        ]
        indexes = [models.Index(fields=["deputy", "attendance"], name="participation_attendance")]

    def __str__(self):
        return f"{self.deputy} · {self.activity}"
