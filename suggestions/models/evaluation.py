"""Ratings of replies (the guard against 被满意) and the single-use rating links."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableRatingError(Exception):
    """Raised when code tries to change or delete a submitted rating."""


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class RatingQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRatingError("ratings cannot be edited")

    def delete(self):
        raise ImmutableRatingError("ratings cannot be deleted")

    def effective(self):
        """Ratings not superseded by a correction (a correction is a new row; both are kept)."""
        return self.exclude(pk__in=Rating.objects.filter(corrects__isnull=False).values("corrects_id"))


def scan_path(instance, filename):
    return f"suggestions/rating-scans/{instance.assignment_id}/{filename}"


class Rating(models.Model):
    """One rater's rating of one round of a unit's handling: attitude and result separately.

    Written once, by the deputy's own account (portal or single-use link) or by staff from a
    paper form with a scan and a reason; never edited or deleted afterwards. A correction is a
    new row pointing at the one it corrects, with a reason.
    """

    class RaterGroup(models.TextChoices):
        DEPUTY = "deputy", _("Deputy")
        MEMBER = "member", _("Standing committee member")

    class Via(models.TextChoices):
        PORTAL = "portal", _("Portal")
        LINK = "link", _("Single-use link")
        PAPER = "paper", _("Paper form entered by staff")
        SESSION = "session", _("Face-to-face session")

    proposal = models.ForeignKey("suggestions.Proposal", on_delete=models.PROTECT, related_name="ratings")
    assignment = models.ForeignKey("suggestions.Assignment", on_delete=models.PROTECT, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("Round"))
    rater_group = models.CharField(_("Rater group"), max_length=8, choices=RaterGroup.choices)
    # The account that rated: the deputy's own (also for a paper form, entered by staff), or a
    # standing-committee member's.
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Rater"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Deputy"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attitude = models.CharField(_("Attitude"), max_length=24, choices=Satisfaction.choices)
    result = models.CharField(_("Result"), max_length=24, choices=Satisfaction.choices)
    reason = models.TextField(_("Reason"), blank=True)
    via = models.CharField(_("Submitted through"), max_length=8, choices=Via.choices, default=Via.PORTAL)
    entered_by_staff = models.BooleanField(_("Entered by staff"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scan = models.FileField(_("Scan of the paper form"), upload_to=scan_path, blank=True)
    staff_reason = models.TextField(_("Why staff entered it"), blank=True)
    corrects = models.OneToOneField(
        "self", verbose_name=_("Corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    correction_reason = models.TextField(_("Reason for the correction"), blank=True)
    submitted_at = models.DateTimeField(_("Submitted at"), default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rating")
        verbose_name_plural = _("Ratings")
        ordering = ["assignment", "round", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "round", "deputy"],
                condition=Q(corrects__isnull=True, rater_group="deputy"),
                name="rating_one_original_per_deputy_round",
            ),
            models.UniqueConstraint(
                fields=["assignment", "round", "rater"],
                condition=Q(corrects__isnull=True, rater_group="member"),
                name="rating_one_original_per_member_round",
            ),
            models.CheckConstraint(
                condition=~Q(result="unsatisfied") & ~Q(attitude="unsatisfied") | ~Q(reason=""),
                name="rating_unsatisfied_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(entered_by_staff=False) | (~Q(scan="") & ~Q(staff_reason="")),
                name="rating_paper_needs_scan_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} #{self.round}: {self.get_attitude_display()}/{self.get_result_display()}"

    # Ratings are append-only (DESIGN §4: nobody can change a rating after it is submitted).
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRatingError("ratings cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRatingError("ratings cannot be deleted")


class RatingLink(models.Model):
    """A signed single-use link that lets the deputy rate without navigating the portal.

    Only a SHA-256 digest of the token is stored; the link is used once (`used_at` set by a
    conditional update) and expires with the evaluation window.
    """

    assignment = models.ForeignKey("suggestions.Assignment", on_delete=models.CASCADE, related_name="rating_links")
    round = models.PositiveSmallIntegerField()
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Rating link")
        verbose_name_plural = _("Rating links")

    def __str__(self):
        return f"{self.assignment_id}#{self.round}"
