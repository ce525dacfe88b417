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
    motion_min_signers_district = _days(_("区级议案最少联名人数"), 10, 100)
    motion_min_signers_township = _days(_("乡镇议案最少联名人数"), 5, 100)
    assignment_working_days = _days(_("闭会期间建议交办时限（工作日）"), 7)
    objection_working_days = _days(_("承办单位提出异议时限（工作日）"), 7)
    co_handler_opinion_months = _months(_("协办意见时限（月）"), 2)
    reply_months = _months(_("答复时限（月）"), 3)
    extension_max_months = _months(_("延期最长（自交办起，月）"), 6)
    evaluation_working_days = _days(_("代表测评时限（工作日）"), 15)
    rehandling_order_working_days = _days(_("不满意后交办重新办理时限（工作日）"), 5)
    rehandling_reply_months = _months(_("重新办理答复时限（月）"), 1)

    # Supervision (DESIGN §5; Supervision Law art. 15 for the report milestones)
    implementation_report_months = _months(_("审议意见落实情况报告时限（月）"), 3)
    report_to_committee_days = _days(_("报告送专门委员会提前天数"), 20)
    report_to_standing_committee_days = _days(_("报告送常委会提前天数"), 10)
    report_to_members_days = _days(_("报告送组成人员提前天数"), 7)

    # Contact stations (DESIGN §6)
    opinion_ack_working_days = _days(_("群众意见受理时限（工作日）"), 3)
    opinion_answer_working_days = _days(_("群众意见答复时限（工作日）"), 15)
    shift_notice_days = _days(_("接待日提前公示天数"), 3)
    min_receptions_per_year = _days(_("代表每年最少进站接待次数"), 2)
    citizen_data_retention_days = _days(_("群众联系方式保存期限（天）"), 730, 3650)

    # Deputies (DESIGN §3)
    score_good_threshold = _days(_("履职积分“好”等次下限"), 80, 1000)
    score_fair_threshold = _days(_("履职积分“较好”等次下限"), 60, 1000)
    outstanding_quota_percent = _days(_("优秀代表名额比例（%）"), 20, 100)
    voter_report_min_representatives = _days(_("述职评议选民代表最少人数"), 50, 10000)
    unexcused_absence_alert = _days(_("无故缺席会议提醒次数"), 2, 10)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作规则")
        verbose_name_plural = _("工作规则")
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
        return str(_("%(body)s工作规则") % {"body": self.body})
