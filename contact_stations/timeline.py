"""How the contact-station timelines read: a label for every verb the station services write.
Registered with congress.timeline by ContactStationsConfig.ready()."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VERBS = {
    # stations
    "created": pgettext_lazy("timeline", "Created"),
    "updated": pgettext_lazy("timeline", "Updated"),
    "deputy_assigned": _("Deputy stationed here"),
    "deputy_released": _("Deputy released from the station"),
    "public_code_regenerated": _("Public QR code renewed"),
    # duty shifts
    "roster_rule_created": _("Roster rule created"),
    "shifts_generated": _("Shifts generated"),
    "published": _("Shift notice published"),
    "deputies_changed": _("Deputies on duty changed"),
    "checked_in": _("Checked in"),
    "held": _("Reception held"),
    "cancelled": pgettext_lazy("timeline", "Cancelled"),
    # activities
    "participants_added": _("Participants added"),
    "photo_added": _("Photo added"),
    "made_public": _("Shown on the public station page"),
    "made_private": _("Taken off the public station page"),
    # opinions
    "received": _("Opinion received"),
    "acknowledged": _("Acknowledged"),
    "answered_on_spot": _("Answered on the spot"),
    "passed_to_town": _("Passed to the town or street"),
    "passed_to_district": _("Passed to the district standing committee"),
    "passed_to_unit": _("Passed to a unit"),
    "turned_into_suggestion": _("Turned into a deputy suggestion"),
    "turned_into_topic": _("Turned into a topic proposal"),
    "declined": _("Declined with the right channel named"),
    "follow_up_linked": _("Follow-up item linked"),
    "answered": _("Answered"),
    "answered_with_primary": _("Answered together with the opinion it duplicates"),
    "closed": pgettext_lazy("timeline", "Closed"),
    "reopened": _("Reopened after an unsatisfied rating"),
    "linked_as_duplicate": _("Marked as a duplicate"),
    "duplicate_linked": _("A duplicate was linked to it"),
    "unlinked_duplicate": _("Duplicate link removed"),
    "contact_removed": _("Citizen’s contact data removed after the retention period"),
    "unmasked": _("Personal data shown in full"),
    # return visits
    "rated": _("Rated by the citizen"),
    "rating_link_resent": _("Rating link sent again"),
}
