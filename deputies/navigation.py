"""The deputies app's section of the console sidebar (collected by congress.context_processors)."""

from django.utils.translation import gettext_lazy as _

from deputies import permissions

CONSOLE_SECTIONS = (
    (
        _("Deputies"),
        (
            (_("Roster"), "console:deputies:roster", "person-vcard", permissions.can_read_roster,
             ("deputy_", "job_")),
            (_("Activity verification"), "console:deputies:verification_queue", "check2-square",
             permissions.can_keep_roster, ("activity_", "participation_")),
            (_("Score rules"), "console:deputies:score_rules", "trophy", permissions.can_keep_roster,
             ("theme_years",)),
            (_("Committee member contact"), "console:deputies:contact_board", "link-45deg",
             permissions.can_read_roster, ("contact_",)),
            (_("Outstanding deputies"), "console:deputies:selection_list", "award",
             permissions.can_use_outreach_console, ("selection_",)),
            (_("Reports to voters"), "console:deputies:voter_report_plan", "megaphone",
             permissions.can_use_outreach_console, ("voter_report_",)),
        ),
    ),
)
