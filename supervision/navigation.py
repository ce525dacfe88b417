"""The supervision section of the console sidebar (collected by congress.context_processors)."""

from django.utils.translation import gettext_lazy as _

from supervision import permissions

CONSOLE_SECTIONS = (
    (
        _("Supervision"),
        (
            (_("Topic proposals"), "console:supervision:inbox", "inbox", permissions.can_work_supervision,
             ("proposal_",)),
            (_("Supervision plans"), "console:supervision:plan_list", "journal-text",
             permissions.can_read_supervision, ("plan_", "topic_create", "topic_edit")),
            (_("Supervision topics"), "console:supervision:topic_list", "clipboard-check",
             permissions.can_read_supervision, ("topic_list", "topic_detail", "topic_unit_report")),
            (_("Supervision statistics"), "console:supervision:statistics", "bar-chart",
             permissions.can_read_statistics, ("statistics",)),
            (_("Work evaluations"), "console:supervision:evaluation_list", "clipboard-data",
             permissions.can_read_supervision, ("evaluation_",)),
            (_("Special inquiries"), "console:supervision:inquiry_list", "question-circle",
             permissions.can_read_supervision, ("inquiry_",)),
            (_("Letters and visits"), "console:supervision:letter_list", "envelope", permissions.can_read_letters,
             ("letter_",)),
        ),
    ),
)
