"""A proposal (suggestion or motion), its signers and attachments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProposalQuerySet(models.QuerySet):
    def public(self):
        """What the public pages may list: never confidential, only once a reply exists."""
        return self.filter(is_confidential=False, state__in=Proposal.REPLIED_STATES)


class Proposal(models.Model):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("Suggestion, criticism or opinion")
        MOTION = "motion", _("Motion")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACCEPTED = "accepted", _("Accepted")
        ASSIGNED = "assigned", _("Assigned")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        EVALUATED = "evaluated", _("Evaluated")
        REHANDLING = "rehandling", _("Being handled again")
        CLOSED = "closed", _("Closed")

    # DESIGN §4. Withdrawal only before assignment (and with every signer's consent, checked by
    # the service). A motion is accepted as a motion or converted to a suggestion: both are the
    # move submitted → accepted, the conversion also changing `kind`. "Closed" is not "solved":
    # the reply's class is the outcome.
    TRANSITIONS = {
        State.DRAFT: (State.SUBMITTED, State.WITHDRAWN),
        State.SUBMITTED: (State.RETURNED, State.WITHDRAWN, State.ACCEPTED),
        State.RETURNED: (),
        State.WITHDRAWN: (),
        State.ACCEPTED: (State.ASSIGNED, State.WITHDRAWN),
        State.ASSIGNED: (State.HANDLING,),
        State.HANDLING: (State.REPLIED,),
        State.REPLIED: (State.EVALUATED,),
        State.EVALUATED: (State.REHANDLING, State.CLOSED),
        State.REHANDLING: (State.REPLIED,),
        State.CLOSED: (),
    }
    REPLIED_STATES = (State.REPLIED, State.EVALUATED, State.REHANDLING, State.CLOSED)
    OPEN_STATES = (State.ASSIGNED, State.HANDLING, State.REPLIED, State.EVALUATED, State.REHANDLING)

    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices, default=Kind.SUGGESTION)
    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("congress.Term", verbose_name=_("Term"), on_delete=models.PROTECT, related_name="+")
    # Empty for a proposal filed between sessions (闭会期间), which has its own number series and
    # must be assigned within a number of working days of receipt.
    session = models.ForeignKey(
        "congress.Session", verbose_name=_("Session"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("Title"), max_length=200)
    content = models.TextField(_("Content"))
    category = models.ForeignKey(
        "suggestions.Category", verbose_name=_("Category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals",
    )
    keywords = models.CharField(_("Keywords"), max_length=200, blank=True)
    lead_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Lead deputy"), on_delete=models.PROTECT, related_name="led_proposals"
    )
    is_confidential = models.BooleanField(_("Confidential"), default=False)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.DRAFT)

    # Unique within a body: every congress numbers its own proposals, and a township congress's
    # 18th term runs beside the district's 18th (constraint proposal_unique_number_per_body).
    number = models.CharField(_("Number"), max_length=32, null=True, blank=True)
    # A motion converted to a suggestion keeps the motion number it was accepted under.
    converted_from_number = models.CharField(_("Converted from number"), max_length=32, blank=True)
    received_on = models.DateField(_("Received on"), null=True, blank=True)
    # Recess proposals only: the assignment deadline and its basis (congress.rules.Deadline).
    intake_due = models.DateField(_("Assignment due"), null=True, blank=True)
    intake_due_basis = models.JSONField(default=dict, blank=True)
    intake_late = models.BooleanField(_("Assigned late"), default=False)
    return_reason = models.ForeignKey(
        "suggestions.ReturnReason", verbose_name=_("Return reason"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    return_note = models.TextField(_("Return note"), blank=True)
    converted_to_letter = models.BooleanField(_("Converted into a letter"), default=False)
    # Merged handling (并案): set while the proposal is handled together with similar ones.
    merge_group = models.ForeignKey(
        "suggestions.MergeGroup", verbose_name=_("Merged handling"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="proposals",
    )
    # The reply class of the lead (or first split) unit's latest reply: the outcome, not the state.
    outcome = models.ForeignKey(
        "suggestions.ReplyClass", verbose_name=_("Outcome"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("Accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("Proposal")
        verbose_name_plural = _("Proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"], condition=Q(number__isnull=False), name="proposal_unique_number_per_body"
            ),
        ]
        indexes = [
            models.Index(fields=["body", "state"], name="proposal_body_state"),
            models.Index(fields=["intake_due"], condition=Q(intake_due__isnull=False), name="proposal_intake_due"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_recess(self):
        return self.session_id is None


class MergeGroup(models.Model):
    """Similar proposals handled together (并案), from merging until assignment and beyond.

    Every proposal keeps its own number, assignments, replies and ratings; the group only makes
    assignment, contacts and replies cover all members at once (DESIGN §4: merged handling still
    answers every deputy). `main` is the proposal the others were merged with.
    """

    body = models.ForeignKey("congress.Body", on_delete=models.PROTECT, related_name="+")
    main = models.OneToOneField(
        Proposal, verbose_name=_("Main proposal"), on_delete=models.PROTECT, related_name="main_of_merge_group"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Merged handling group")
        verbose_name_plural = _("Merged handling groups")
        ordering = ["pk"]

    def __str__(self):
        return str(self.main)


class Signer(models.Model):
    """A deputy signing a proposal: the lead deputy (confirmed at filing) or a co-signer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signers")
    deputy = models.ForeignKey("deputies.Deputy", verbose_name=_("Deputy"), on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("Lead deputy"), default=False)
    invited_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("Declined at"), null=True, blank=True)
    # Withdrawal needs every confirmed signer's consent (DESIGN §4).
    withdrawal_consent_at = models.DateTimeField(_("Consented to withdrawal at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Signer")
        verbose_name_plural = _("Signers")
        ordering = ["proposal", "-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "deputy"], name="signer_unique_per_proposal"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(is_lead=True), name="signer_one_lead"),
        ]

    def __str__(self):
        return str(self.deputy)

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


def attachment_path(instance, filename):
    return f"suggestions/attachments/{instance.proposal_id}/{filename}"


class Attachment(models.Model):
    """A file filed with a proposal. Type and size are checked by the service (SECURITY S16)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("File"), upload_to=attachment_path)
    original_name = models.CharField(_("File name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Attachment")
        verbose_name_plural = _("Attachments")
        ordering = ["proposal", "pk"]

    def __str__(self):
        return self.original_name
