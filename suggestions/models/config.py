"""Lists staff keep per body (categories, return reasons, reply classes) and the number series."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A subject category of proposals (城乡建设, 教育, ...), kept by staff per body."""

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Name"), max_length=64)
    # The working committee that follows this category's proposals; two unsatisfied ratings in a
    # row escalate to it (DESIGN §4).
    committee = models.ForeignKey(
        "congress.Committee",
        verbose_name=_("Supervising committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("Order"), default=0)
    is_active = models.BooleanField(_("Active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Proposal category")
        verbose_name_plural = _("Proposal categories")
        ordering = ["body", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="category_unique_name_per_body")]

    def __str__(self):
        return self.name


class ReturnReason(models.Model):
    """A standard reason for returning a proposal (outside jurisdiction, personal matter, ...)."""

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("Code"), max_length=32)
    name = models.CharField(_("Reason"), max_length=100)
    order = models.PositiveSmallIntegerField(_("Order"), default=0)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Return reason")
        verbose_name_plural = _("Return reasons")
        ordering = ["body", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="return_reason_unique_code_per_body")]

    def __str__(self):
        return self.name


class ReplyClass(models.Model):
    """A class of reply (A solved, B being solved, C later, D for reference), configurable per body."""

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("Code"), max_length=4)
    name = models.CharField(_("Name"), max_length=100)
    # B and C promise future action, so the reply must carry at least one dated commitment.
    requires_commitment = models.BooleanField(_("Requires a dated commitment"), default=False)
    counts_as_solved = models.BooleanField(_("Counts as solved"), default=False)
    order = models.PositiveSmallIntegerField(_("Order"), default=0)
    is_active = models.BooleanField(_("Active"), default=True)

    class Meta:
        verbose_name = _("Reply class")
        verbose_name_plural = _("Reply classes")
        ordering = ["body", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="reply_class_unique_code_per_body")]

    def __str__(self):
        return f"{self.code} {self.name}"


class NumberSeries(models.Model):
    """The last number given in one series: (term, session or recess, kind).

    Numbers are handed out by locking this row (`select_for_update`) inside the acceptance's
    transaction, so two acceptances at once get consecutive numbers, and a rolled-back acceptance
    gives its number back: the series has no gaps.
    """

    RECESS = "BH"  # 闭会期间: proposals filed between sessions have their own series

    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="+")
    # The session number as text, or RECESS.
    session_part = models.CharField(max_length=8)
    kind = models.CharField(max_length=16)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Number series")
        verbose_name_plural = _("Number series")
        constraints = [
            models.UniqueConstraint(fields=["term", "session_part", "kind"], name="number_series_unique"),
        ]

    def __str__(self):
        return f"{self.term_id}-{self.session_part}-{self.kind}: {self.last_value}"
