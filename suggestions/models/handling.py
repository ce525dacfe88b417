"""Assignment to units and everything a unit does with it: objections, extensions, contacts,
co-handlers' opinions, replies and their commitments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """One unit's part in handling one proposal (交办): lead, co-handler or split handling.

    Every deadline is stored with the basis that produced it (congress.rules.Deadline), so a
    later change of a rule never moves it and every screen can say why a date is what it is.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-handling unit")
        SPLIT = "split", _("Split handling unit")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        OBJECTED = "objected", _("Objected")
        REASSIGNED = "reassigned", _("Reassigned")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        EVALUATED = "evaluated", _("Evaluated")
        REHANDLING = "rehandling", _("Being handled again")
        CLOSED = "closed", _("Closed")

    class RatingStatus(models.TextChoices):
        NONE = "", _("Not yet due")
        PENDING = "pending", _("Awaiting rating")
        RATED = "rated", _("Rated")
        # After the evaluation window: never counted as satisfied (DESIGN §4).
        NOT_RATED = "not_rated", _("Not rated")

    TRANSITIONS = {
        State.ASSIGNED: (State.HANDLING, State.OBJECTED, State.REASSIGNED),
        State.OBJECTED: (State.REASSIGNED, State.HANDLING),
        State.REASSIGNED: (),
        # A co-handler's part ends with its opinion: handling → closed.
        State.HANDLING: (State.REPLIED, State.CLOSED),
        State.REPLIED: (State.EVALUATED, State.CLOSED),
        State.EVALUATED: (State.REHANDLING, State.CLOSED),
        State.REHANDLING: (State.REPLIED,),
        State.CLOSED: (),
    }
    ACTIVE_STATES = (State.ASSIGNED, State.OBJECTED, State.HANDLING, State.REHANDLING)
    ANSWERING_ROLES = (Role.LEAD, Role.SPLIT)

    proposal = models.ForeignKey("suggestions.Proposal", on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey("congress.Unit", verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("Role"), max_length=8, choices=Role.choices)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.ASSIGNED)
    # 1 for the first handling, 2 after the first re-handling order, and so on.
    round = models.PositiveSmallIntegerField(_("Round"), default=1)
    assigned_on = models.DateField(_("Assigned on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaces = models.ForeignKey(
        "self", verbose_name=_("Replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objection_due = models.DateField(_("Objection deadline"))
    objection_due_basis = models.JSONField(default=dict)
    reply_due = models.DateField(_("Reply due"), null=True, blank=True)
    reply_due_basis = models.JSONField(default=dict, blank=True)
    co_opinion_due = models.DateField(_("Co-handler opinion due"), null=True, blank=True)
    co_opinion_due_basis = models.JSONField(default=dict, blank=True)
    # No extension may pass this date: 6 months after assignment (DESIGN §4).
    max_due = models.DateField(_("Latest possible due date"))
    max_due_basis = models.JSONField(default=dict)
    is_extended = models.BooleanField(_("Extended"), default=False)

    replied_on = models.DateField(_("Replied on"), null=True, blank=True)
    rating_due = models.DateField(_("Rating due"), null=True, blank=True)
    rating_due_basis = models.JSONField(default=dict, blank=True)
    rating_status = models.CharField(
        _("Rating status"), max_length=16, choices=RatingStatus.choices, default=RatingStatus.NONE, blank=True
    )
    rehandling_order_due = models.DateField(_("Re-handling order due"), null=True, blank=True)
    rehandling_order_due_basis = models.JSONField(default=dict, blank=True)
    # Consecutive unsatisfied results; two in a row escalate to the supervising committee.
    unsatisfied_streak = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Assignment")
        verbose_name_plural = _("Assignments")
        ordering = ["proposal", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "unit"],
                condition=~Q(state="reassigned"),
                name="assignment_one_active_per_unit",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role="lead") & ~Q(state="reassigned"),
                name="assignment_one_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "reply_due"], name="assignment_state_reply_due"),
            models.Index(fields=["unit", "state"], name="assignment_unit_state"),
            models.Index(fields=["rating_status", "replied_on"], name="assignment_rating"),
        ]

    def __str__(self):
        return f"{self.proposal} → {self.unit}"

    @property
    def answers(self):
        return self.role in self.ANSWERING_ROLES


class Objection(models.Model):
    """A unit's objection to an assignment, with its reasons; staff reassign or refuse it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        REASSIGNED = "reassigned", _("Reassigned")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="objections")
    reason = models.TextField(_("Reasons"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("Decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("Decision note"), blank=True)

    class Meta:
        verbose_name = _("Objection")
        verbose_name_plural = _("Objections")
        ordering = ["assignment", "raised_at"]

    def __str__(self):
        return f"{self.assignment}: {self.get_decision_display()}"


class Extension(models.Model):
    """A unit's request for more time; staff approve or refuse; never past `Assignment.max_due`."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    TRANSITIONS = {
        State.REQUESTED: (State.APPROVED, State.REFUSED),
        State.APPROVED: (),
        State.REFUSED: (),
    }

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extensions")
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.REQUESTED)
    reason = models.TextField(_("Reasons"))
    previous_due = models.DateField(_("Previous due date"))
    requested_due = models.DateField(_("Requested due date"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("Decision note"), blank=True)

    class Meta:
        verbose_name = _("Extension")
        verbose_name_plural = _("Extensions")
        ordering = ["assignment", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(state="requested"), name="extension_one_pending_per_assignment"
            ),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.requested_due}"


class Contact(models.Model):
    """A contact between the unit and the deputy; the reply cannot be submitted before one exists."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        SYMPOSIUM = "symposium", _("Symposium")
        SITE_VISIT = "site_visit", _("Site visit")
        FACE_TO_FACE = "face_to_face", _("Face-to-face meeting")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="contacts")
    round = models.PositiveSmallIntegerField(_("Round"), default=1)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    contacted_on = models.DateField(_("Date"))
    people = models.CharField(_("People present"), max_length=300)
    content = models.TextField(_("Content"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Contact record")
        verbose_name_plural = _("Contact records")
        ordering = ["assignment", "contacted_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.contacted_on}"


def document_path(instance, filename):
    return f"suggestions/documents/{instance.assignment_id}/{filename}"


class CoHandlerOpinion(models.Model):
    """A co-handling unit's opinion to the lead unit, attached to the lead unit's reply."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="co_opinions")
    text = models.TextField(_("Opinion"))
    document = models.FileField(_("Document"), upload_to=document_path, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    attached_to = models.ForeignKey(
        "suggestions.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="co_opinions"
    )

    class Meta:
        verbose_name = _("Co-handler opinion")
        verbose_name_plural = _("Co-handler opinions")
        ordering = ["assignment", "submitted_at"]

    def __str__(self):
        return str(self.assignment)


class Reply(models.Model):
    """A unit's signed-off reply in one round, graded by a reply class."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField(_("Round"))
    text = models.TextField(_("Reply"))
    document = models.FileField(_("Signed document"), upload_to=document_path, blank=True)
    reply_class = models.ForeignKey(
        "suggestions.ReplyClass", verbose_name=_("Reply class"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.CharField(_("Responsible officer"), max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Reply")
        verbose_name_plural = _("Replies")
        ordering = ["assignment", "round"]
        constraints = [models.UniqueConstraint(fields=["assignment", "round"], name="reply_one_per_round")]

    def __str__(self):
        return f"{self.assignment} #{self.round}"


class Commitment(models.Model):
    """A dated promise in a B or C reply, tracked until fulfilled; unfulfilled ones carry over."""

    reply = models.ForeignKey(Reply, on_delete=models.PROTECT, related_name="commitments")
    text = models.TextField(_("Commitment"))
    due_on = models.DateField(_("Due on"))
    fulfilled_at = models.DateTimeField(_("Fulfilled at"), null=True, blank=True)
    report = models.TextField(_("Fulfilment report"), blank=True)
    carried_over_to_year = models.PositiveSmallIntegerField(_("Carried over to year"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Commitment")
        verbose_name_plural = _("Commitments")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(fulfilled_at__isnull=True), name="commitment_open_due"),
        ]

    def __str__(self):
        return f"{self.text[:40]} ({self.due_on})"
