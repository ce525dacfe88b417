"""Deliberation opinions, the units' implementation reports, satisfaction votes and the
rectification ledger: the "supervise, rectify, re-supervise, re-rectify" loop, round by round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliberationOpinion(models.Model):
    """审议意见. `round` counts the report-and-vote rounds; a failed vote opens the next one."""

    class State(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        APPROVED = "approved", pgettext_lazy("deliberation opinion", "Approved")
        SENT = "sent", _("Sent to the units")
        REPORTED = "reported", _("Implementation reported")
        VOTING = "voting", _("Satisfaction vote open")
        RECTIFYING = "rectifying", _("Rectifying after a failed vote")
        PASSED = "passed", _("Passed")

    TRANSITIONS = {
        State.DRAFTED: (State.APPROVED,),
        State.APPROVED: (State.SENT, State.DRAFTED),
        State.SENT: (State.REPORTED,),
        State.REPORTED: (State.VOTING,),
        State.VOTING: (State.PASSED, State.RECTIFYING),
        State.RECTIFYING: (State.REPORTED,),
    }
    # States in which the units owe an implementation report for the current round.
    AWAITING_REPORT = (State.SENT, State.RECTIFYING)

    topic = models.ForeignKey(
        "supervision.Topic", verbose_name=_("Topic"), on_delete=models.PROTECT, related_name="opinions"
    )
    title = models.CharField(_("Title"), max_length=200)
    text = models.TextField(_("Text"))
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.DRAFTED)
    units = models.ManyToManyField(
        "congress.Unit", through="supervision.OpinionUnit", verbose_name=_("Units"), related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("Round"), default=1)
    failures = models.PositiveSmallIntegerField(_("Failed votes"), default=0)
    escalated_at = models.DateTimeField(_("Escalated to the chairpersons’ meeting at"), null=True, blank=True)
    sent_on = models.DateField(_("Sent on"), null=True, blank=True)
    is_published = models.BooleanField(_("Published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Deliberation opinion")
        verbose_name_plural = _("Deliberation opinions")
        ordering = ["topic", "pk"]
        indexes = [models.Index(fields=["state"], name="opinion_state")]

    def __str__(self):
        return self.title


class OpinionUnit(models.Model):
    """A unit an opinion was sent to, with the implementation report due for the current round."""

    opinion = models.ForeignKey(DeliberationOpinion, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("congress.Unit", verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("Implementation report due"), null=True, blank=True)
    due_basis = models.JSONField(_("Basis of the due date"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Unit of an opinion")
        verbose_name_plural = _("Units of opinions")
        ordering = ["opinion", "unit"]
        constraints = [models.UniqueConstraint(fields=["opinion", "unit"], name="opinionunit_unique")]
        indexes = [models.Index(fields=["due_on"], name="opinionunit_due")]

    def __str__(self):
        return f"{self.opinion} → {self.unit}"


class ImplementationReport(models.Model):
    opinion = models.ForeignKey(DeliberationOpinion, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("congress.Unit", verbose_name=_("Unit"), on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("Round"))
    text = models.TextField(_("Text"))
    file = models.FileField(_("File"), upload_to="supervision/implementation/", blank=True)
    submitted_at = models.DateTimeField(_("Submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Implementation report")
        verbose_name_plural = _("Implementation reports")
        ordering = ["opinion", "round", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "unit", "round"], name="implreport_one_per_unit_round")
        ]

    def __str__(self):
        return _("%(unit)s, round %(round)s") % {"unit": self.unit, "round": self.round}


class Choice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class SatisfactionVote(models.Model):
    """满意度测评 by the standing committee's members, one per subject, round and dimension.

    Secret ballot: `MemberBallot` records that a member voted (and holds the hashed phone link);
    the choice only increments the counters here, so no row links a member to a choice.
    """

    class Subject(models.TextChoices):
        IMPLEMENTATION = "implementation", _("Implementation of a deliberation opinion")
        WORK_REPORT = "work_report", _("Special work report")
        EVALUATION = "evaluation", _("Special work evaluation")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("vote state", "Open")
        CLOSED = "closed", pgettext_lazy("vote state", "Closed")

    class Base(models.TextChoices):
        ALL_MEMBERS = "all_members", _("Half of all members")
        VOTING = "voting", _("Half of those who voted")

    TRANSITIONS = {State.OPEN: (State.CLOSED,)}

    topic = models.ForeignKey(
        "supervision.Topic", verbose_name=_("Topic"), on_delete=models.PROTECT, related_name="votes"
    )
    subject = models.CharField(_("Subject"), max_length=16, choices=Subject.choices)
    opinion = models.ForeignKey(
        DeliberationOpinion, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    evaluation = models.ForeignKey(
        "supervision.WorkEvaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    round = models.PositiveSmallIntegerField(_("Round"), default=1)
    # "" is the overall vote; an evaluation's appraisal adds one vote per dimension.
    dimension = models.CharField(_("Dimension"), max_length=64, blank=True)
    state = models.CharField(_("State"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("Opened at"))
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    # The committee's composition when the vote opened: the pass rule counts against it.
    members_total = models.PositiveSmallIntegerField(_("Members of the standing committee"))
    # Pass rule, stored with the vote: "satisfied" > numerator/denominator of the base.
    pass_base = models.CharField(
        _("Pass rule base"), max_length=16, choices=Base.choices, default=Base.ALL_MEMBERS
    )
    pass_numerator = models.PositiveSmallIntegerField(default=1)
    pass_denominator = models.PositiveSmallIntegerField(default=2)
    online_satisfied = models.PositiveSmallIntegerField(default=0)
    online_basically = models.PositiveSmallIntegerField(default=0)
    online_unsatisfied = models.PositiveSmallIntegerField(default=0)
    # Tallies of paper ballots, entered by the office.
    paper_satisfied = models.PositiveSmallIntegerField(default=0)
    paper_basically = models.PositiveSmallIntegerField(default=0)
    paper_unsatisfied = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(_("Passed"), null=True, blank=True)
    is_published = models.BooleanField(_("Result published"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Satisfaction vote")
        verbose_name_plural = _("Satisfaction votes")
        ordering = ["topic", "round", "dimension", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "round", "dimension"], condition=Q(opinion__isnull=False),
                name="vote_one_per_opinion_round",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "round", "dimension"], condition=Q(evaluation__isnull=False),
                name="vote_one_per_evaluation_round",
            ),
            models.CheckConstraint(
                condition=Q(pass_denominator__gt=0) & Q(pass_numerator__lte=models.F("pass_denominator")),
                name="vote_pass_ratio_valid",
            ),
        ]

    def __str__(self):
        return _("Satisfaction vote, round %(round)s") % {"round": self.round}

    def count(self, choice: str) -> int:
        return getattr(self, f"online_{choice}") + getattr(self, f"paper_{choice}")

    @property
    def votes_cast(self) -> int:
        return sum(self.count(choice) for choice in Choice.values)

    def outcome(self) -> bool:
        """满意 votes must exceed the fraction of the base: by default more than half of ALL
        members, so an absent member counts as not satisfied."""
        base = self.members_total if self.pass_base == self.Base.ALL_MEMBERS else self.votes_cast
        return self.count(Choice.SATISFIED) * self.pass_denominator > base * self.pass_numerator


class MemberBallot(models.Model):
    """A member's right to vote once: who may vote and whether they have, never what they chose."""

    vote = models.ForeignKey(SatisfactionVote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # SHA-256 of the single-use phone link's token; the token itself is only sent to the member.
    token_digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Member’s ballot")
        verbose_name_plural = _("Members’ ballots")
        ordering = ["vote", "member"]
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="ballot_one_per_member")]

    def __str__(self):
        return f"{self.vote} · {self.member}"


class RectificationItem(models.Model):
    """One line of the rectification ledger (整改台账) after a failed vote."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("ledger item state", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    opinion = models.ForeignKey(
        DeliberationOpinion, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    evaluation = models.ForeignKey(
        "supervision.WorkEvaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    round = models.PositiveSmallIntegerField(_("Round"))
    item = models.TextField(_("Item"))
    owner_unit = models.ForeignKey(
        "congress.Unit", verbose_name=_("Owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("Due"))
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField(_("Progress"), blank=True)
    done_on = models.DateField(_("Done on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Rectification item")
        verbose_name_plural = _("Rectification ledger")
        ordering = ["round", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opinion__isnull=False) | Q(evaluation__isnull=False), name="rectification_has_subject"
            ),
        ]

    def __str__(self):
        return self.item[:50]


class FollowUpCheck(models.Model):
    """回头看: a later check that a passed opinion's fixes held."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")

    TRANSITIONS = {State.SCHEDULED: (State.DONE,)}

    opinion = models.ForeignKey(DeliberationOpinion, on_delete=models.PROTECT, related_name="follow_up_checks")
    scheduled_on = models.DateField(_("Scheduled on"))
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.SCHEDULED)
    findings = models.TextField(_("Findings"), blank=True)
    done_on = models.DateField(_("Done on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Follow-up check")
        verbose_name_plural = _("Follow-up checks")
        ordering = ["opinion", "scheduled_on"]

    def __str__(self):
        return f"{self.opinion} · {self.scheduled_on}"


class SpecialInquiry(models.Model):
    """专题询问 at a standing-committee meeting, with the handling report afterwards.

    The units questioned report how they handled the members' questions (研究处理情况报告) by the
    due date the office sets; the inquiry, its questions and that report are public once published.
    """

    topic = models.ForeignKey("supervision.Topic", on_delete=models.PROTECT, related_name="inquiries")
    meeting = models.ForeignKey(
        "congress.Session", verbose_name=_("Standing committee meeting"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    date = models.DateField(_("Date"))
    handling_report = models.TextField(_("Handling report"), blank=True)
    handling_report_file = models.FileField(_("Handling report file"), upload_to="supervision/inquiries/",
                                            blank=True)
    handling_report_due = models.DateField(_("Handling report due"), null=True, blank=True)
    handling_report_at = models.DateTimeField(_("Handling report received at"), null=True, blank=True)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Special inquiry")
        verbose_name_plural = _("Special inquiries")
        ordering = ["topic", "date"]

    def __str__(self):
        return f"{self.topic} · {self.date}"


class InquiryQuestion(models.Model):
    inquiry = models.ForeignKey(SpecialInquiry, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_by_deputy = models.ForeignKey(
        "deputies.Deputy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("Question"))
    unit = models.ForeignKey("congress.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answering_official = models.CharField(_("Answering official"), max_length=100, blank=True)
    answer = models.TextField(_("Answer"), blank=True)

    class Meta:
        verbose_name = _("Inquiry question")
        verbose_name_plural = _("Inquiry questions")
        ordering = ["inquiry", "pk"]

    def __str__(self):
        return self.question[:50]
