"""The statutory and customary numbers of DESIGN §3–§6, editable per body.

Each field's default is the number the design names. A record governed by a rule stores the
basis it used (see `congress.rules.Deadline`), so editing a rule never moves an existing deadline.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def _days(verbose, default, maximum=365):
    return models.PositiveSmallIntegerField(
        verbose, default=default, validators=[MinValueValidator(1), MaxValueValidator(maximum)]
    )


def _months(verbose, default):
    return models.PositiveSmallIntegerField(
        verbose, default=default, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )


class BodyRules(models.Model):
    body = models.OneToOneField("congress.Body", on_delete=models.CASCADE, related_name="rules")

    # Suggestions and motions (DESIGN §4)
    motion_min_signers_district = _days(_("Minimum co-signers of a district motion"), 10, 100)
    motion_min_signers_township = _days(_("Minimum co-signers of a township motion"), 5, 100)
    assignment_working_days = _days(_("Assignment deadline for suggestions between sessions (working days)"), 7)
    objection_working_days = _days(_("Deadline for a handling unit to object (working days)"), 7)
    co_handler_opinion_months = _months(_("Deadline for co-handlers’ opinions (months)"), 2)
    reply_months = _months(_("Reply deadline (months)"), 3)
    extension_max_months = _months(_("Longest extension (from assignment, months)"), 6)
    evaluation_working_days = _days(_("Deadline for the deputy’s evaluation (working days)"), 15)
    rehandling_order_working_days = _days(
        _("Deadline to order rehandling after an unsatisfied evaluation (working days)"), 5
    )
    rehandling_reply_months = _months(_("Reply deadline after rehandling (months)"), 1)

    # Supervision (DESIGN §5; Supervision Law art. 15 for the report milestones)
    implementation_report_months = _months(
        _("Deadline for the report on implementing deliberation opinions (months)"), 3
    )
    report_to_committee_days = _days(_("Days in advance a report goes to the special committee"), 20)
    report_to_standing_committee_days = _days(_("Days in advance a report goes to the standing committee"), 10)
    report_to_members_days = _days(_("Days in advance a report goes to the committee members"), 7)

    # Contact stations (DESIGN §6)
    opinion_ack_working_days = _days(_("Deadline to acknowledge a citizen’s opinion (working days)"), 3)
    opinion_answer_working_days = _days(_("Deadline to answer a citizen’s opinion (working days)"), 15)
    shift_notice_days = _days(_("Days in advance a reception day is announced"), 3)
    min_receptions_per_year = _days(_("Minimum station reception shifts per deputy per year"), 2)
    citizen_data_retention_days = _days(_("Retention of citizens’ contact details (days)"), 730, 3650)

    # Deputies (DESIGN §3)
    score_good_threshold = _days(_("Lowest duty score for the “good” grade"), 80, 1000)
    score_fair_threshold = _days(_("Lowest duty score for the “fairly good” grade"), 60, 1000)
    outstanding_quota_percent = _days(_("Share of deputies rated outstanding (percent)"), 20, 100)
    voter_report_min_representatives = _days(_("Minimum voter representatives at a report-back review"), 50, 10000)
    unexcused_absence_alert = _days(_("Unexcused absences before a reminder"), 2, 10)
    contact_pair_yearly_minimum = _days(
        _("Minimum contacts per year between a standing committee member and a deputy (双联系)"), 2, 52
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Work rules")
        verbose_name_plural = _("Work rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_max_months__gte=models.F("reply_months")),
                name="rules_extension_not_shorter_than_reply",
            ),
            models.CheckConstraint(
                condition=models.Q(score_good_threshold__gt=models.F("score_fair_threshold")),
                name="rules_score_bands_ordered",
            ),
        ]

    def __str__(self):
        return str(_("Work rules of %(body)s") % {"body": self.body})
