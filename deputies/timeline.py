"""How the deputies timelines read: a label for every verb the deputies services write (roster,
duty activities, 双联系 pairs, voter reports, by-selections). Registered with congress.timeline by
DeputiesConfig.ready(); a test checks that no verb written in deputies/services is missing here."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VERBS = {
    # shared by several kinds of record
    "created": pgettext_lazy("timeline", "Created"),
    "updated": pgettext_lazy("timeline", "Updated"),
    "cancelled": pgettext_lazy("timeline", "Cancelled"),
    "published": pgettext_lazy("timeline", "Published"),
    # roster
    "account_linked": _("Login account linked"),
    "mandate_linked": _("Linked to the same person’s other mandate"),
    "mandate_ended": _("Mandate ended"),
    "unmasked": _("Personal data shown in full"),
    # duty activities
    "recorded": pgettext_lazy("timeline", "Recorded"),
    "participant_added": _("Participant added"),
    "attendance_changed": _("Attendance changed"),
    "reported": _("Reported by the deputy"),
    "verified": _("Verified"),
    "rejected": _("Returned to the deputy"),
    "resubmitted": _("Submitted again"),
    # 双联系 pairs
    "contact_logged": _("Contact logged"),
    # voter reports (述职)
    "planned": _("Report meeting planned"),
    "rescheduled": _("Rescheduled"),
    "held": pgettext_lazy("timeline", "Held"),
    "question_added": _("Voter’s question recorded"),
    "slips_generated": _("Rating slips generated"),
    "paper_tally_added": _("Paper slips counted"),
    "ballot_closed": _("Rating closed"),
    "rectification_submitted": _("Rectification plan submitted"),
    # by-selections (补选)
    "nominations_opened": _("Nominations opened"),
    "nominated": _("Nominee proposed"),
    "nomination_withdrawn": _("Nomination withdrawn"),
    "nominations_closed": _("Nominations closed for review"),
    "nominations_reopened": _("Nominations reopened"),
    "nomination_reviewed": _("Nomination reviewed"),
    "decided": _("Decided"),
}
