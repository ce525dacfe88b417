"""专项工作评议: a department's work evaluated for a year, in four phases, with questionnaires."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_DIMENSIONS = ("work_style", "service_efficiency", "rule_of_law", "results")
# How the default dimensions read on ballots, questionnaires and results; an evaluation may name
# its own dimensions, which then read as written.
DIMENSION_LABELS = {
    "work_style": _("Work style"),
    "service_efficiency": _("Service and efficiency"),
    "rule_of_law": _("Administration according to law"),
    "results": _("Results of the work"),
}


def dimension_label(code: str) -> str:
    return str(DIMENSION_LABELS.get(code, code)) if code else str(_("Overall"))


class WorkEvaluation(models.Model):
    class Phase(models.TextChoices):
        MOBILISE = "mobilise", _("Mobilisation")
        INVESTIGATE = "investigate", _("Investigation")
        APPRAISE = "appraise", _("Plenary appraisal")
        RECTIFY = "rectify", _("Rectification")
        PUBLISHED = "published", _("Result published")

    STATE_FIELD = "phase"
    TRANSITIONS = {
        Phase.MOBILISE: (Phase.INVESTIGATE,),
        Phase.INVESTIGATE: (Phase.APPRAISE,),
        Phase.APPRAISE: (Phase.RECTIFY, Phase.PUBLISHED),
        # The second vote after rectification happens in the appraisal phase again.
        Phase.RECTIFY: (Phase.APPRAISE,),
    }

    topic = models.OneToOneField(
        "supervision.Topic", verbose_name=_("Topic"), on_delete=models.PROTECT, related_name="evaluation"
    )
    unit = models.ForeignKey(
        "congress.Unit", verbose_name=_("Department evaluated"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("Year"))
    phase = models.CharField(_("Phase"), max_length=16, choices=Phase.choices, default=Phase.MOBILISE)
    group_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Evaluation group: members"), blank=True, related_name="+"
    )
    group_deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("Evaluation group: deputies"), blank=True, related_name="+"
    )
    dimensions = models.JSONField(_("Appraisal dimensions"), default=list)
    round = models.PositiveSmallIntegerField(_("Round"), default=1)
    rectification_plan = models.TextField(_("Rectification plan"), blank=True)
    result = models.TextField(_("Published result"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Special work evaluation")
        verbose_name_plural = _("Special work evaluations")
        ordering = ["-year", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="evaluation_one_per_unit_year")]

    def __str__(self):
        return _("Evaluation of %(unit)s, %(year)s") % {"unit": self.unit, "year": self.year}

    def dimension_choices(self) -> list[tuple[str, str]]:
        return [(code, dimension_label(code)) for code in self.dimensions]


class QuestionnaireLink(models.Model):
    """A single-use link to the evaluation's questionnaire; the answer does not point back to it."""

    class Audience(models.TextChoices):
        DEPUTY = "deputy", _("Deputy")
        CITIZEN = "citizen", _("Citizen")

    evaluation = models.ForeignKey(WorkEvaluation, on_delete=models.CASCADE, related_name="questionnaire_links")
    audience = models.CharField(_("Audience"), max_length=8, choices=Audience.choices)
    deputy = models.ForeignKey("deputies.Deputy", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Questionnaire link")
        verbose_name_plural = _("Questionnaire links")
        ordering = ["evaluation", "pk"]

    def __str__(self):
        return f"{self.evaluation} · {self.get_audience_display()}"


class QuestionnaireAnswer(models.Model):
    evaluation = models.ForeignKey(WorkEvaluation, on_delete=models.CASCADE, related_name="answers")
    audience = models.CharField(_("Audience"), max_length=8, choices=QuestionnaireLink.Audience.choices)
    # {dimension: "satisfied" | "basically" | "unsatisfied"}
    ratings = models.JSONField(_("Ratings"), default=dict)
    comment = models.TextField(_("Comment"), blank=True)

    class Meta:
        verbose_name = _("Questionnaire answer")
        verbose_name_plural = _("Questionnaire answers")
        ordering = ["evaluation", "pk"]

    def __str__(self):
        return f"{self.evaluation} · {self.pk}"
