"""How the suggestions timeline reads: a label for every verb the suggestions services write.
Registered with congress.timeline by SuggestionsConfig.ready()."""

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from suggestions.models import Proposal

VERBS = {
    "filed": gettext_lazy("Filed"),
    "submitted": gettext_lazy("Submitted"),
    "signature_confirmed": gettext_lazy("Co-signing confirmed"),
    "signature_declined": gettext_lazy("Co-signing declined"),
    "attachment_added": gettext_lazy("Attachment added"),
    "accepted": gettext_lazy("Accepted"),
    "converted_to_suggestion": gettext_lazy("Motion converted to a suggestion"),
    "returned": gettext_lazy("Returned"),
    "withdrawal_consented": gettext_lazy("Consented to withdrawal"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "merged": gettext_lazy("Merged for handling together with"),
    "unmerged": gettext_lazy("No longer handled together with"),
    "assigned": gettext_lazy("Assigned"),
    "reassigned": gettext_lazy("Reassigned"),
    "accepted_by_unit": gettext_lazy("Taken on by the unit"),
    "objected": gettext_lazy("Objection raised"),
    "objection_refused": gettext_lazy("Objection refused"),
    "extension_requested": gettext_lazy("Extension requested"),
    "requested": gettext_lazy("Extension requested"),
    "extended": gettext_lazy("Extension approved"),
    "extension_refused": gettext_lazy("Extension refused"),
    "contact_recorded": gettext_lazy("Contact with the deputy recorded"),
    "co_opinion_submitted": gettext_lazy("Co-handler opinion submitted"),
    "replied": gettext_lazy("Replied"),
    "commitment_fulfilled": gettext_lazy("Commitment reported fulfilled"),
    "urged": gettext_lazy("Urging notice sent"),
    "rated": gettext_lazy("Rated by the deputy"),
    "rating_corrected": gettext_lazy("Rating corrected"),
    "member_rated": gettext_lazy("Rated by a committee member"),
    "escalated": gettext_lazy("Escalated after two unsatisfied results"),
    "rehandling_ordered": gettext_lazy("Re-handling ordered"),
    "closed": gettext_lazy("Closed"),
    "not_rated": gettext_lazy("Closed without a rating"),
    "designated_key": gettext_lazy("Designated a key suggestion"),
    "key_progress": gettext_lazy("Key suggestion progress noted"),
    "key_solved": gettext_lazy("Key suggestion marked solved"),
    "key_carried_over": gettext_lazy("Key suggestion carried over"),
    "meeting_requested": gettext_lazy("Face-to-face meeting requested"),
    "placed_on_session_agenda": gettext_lazy("Put on the agenda of a face-to-face session"),
    # A face-to-face session's own timeline.
    "session_created": gettext_lazy("Session planned"),
    "session_updated": gettext_lazy("Session details changed"),
    "agenda_item_added": gettext_lazy("Put on the agenda"),
    "agenda_item_removed": gettext_lazy("Taken off the agenda"),
    "session_opened": gettext_lazy("Rating opened"),
    "session_closed": gettext_lazy("Rating closed"),
}


def _now_in(state) -> str:
    return gettext("The proposal is now: %(state)s") % {"state": state.label}


# The proposal following its units (services.handling.advance_proposal) writes proposal_<state>.
VERBS.update({f"proposal_{state.value}": lazy(_now_in, str)(state) for state in Proposal.State})
