"""The suggestions app's section of the console sidebar (collected by congress.context_processors)."""

from django.utils.translation import gettext_lazy as _

from suggestions import permissions

CONSOLE_SECTIONS = (
    (
        _("Suggestions and motions"),
        (
            (_("My unit’s assignments"), "console:suggestions:unit_items", "inbox", permissions.can_handle_for_unit,
             ("unit_item",)),
            (_("Face-to-face sessions"), "console:suggestions:unit_session_list", "people",
             permissions.can_handle_for_unit, ("unit_session",)),
            (_("Intake queue"), "console:suggestions:intake", "inboxes", permissions.can_work_proposals,
             ("intake", "proposal_", "assignment_", "paper_rating", "urging_")),
            (_("Deadlines"), "console:suggestions:deadlines", "alarm", permissions.can_work_proposals, ()),
            (_("Extension requests"), "console:suggestions:extensions", "hourglass-split",
             permissions.can_work_proposals, ("extension_",)),
            (_("Objections"), "console:suggestions:objections", "sign-stop", permissions.can_work_proposals,
             ("objection_",)),
            (_("Re-handling decisions"), "console:suggestions:rehandling", "arrow-repeat",
             permissions.can_work_proposals, ("rehandling",)),
            (_("Face-to-face sessions"), "console:suggestions:session_list", "people", permissions.can_manage_sessions,
             ("session_",)),
            (_("Key suggestions"), "console:suggestions:key_suggestions", "star",
             permissions.can_follow_key_suggestions, ("key_",)),
            (_("Statistics"), "console:suggestions:statistics", "bar-chart", permissions.can_read_statistics,
             ("statistics",)),
        ),
    ),
)
