"""Presentation helpers of the suggestions console: a deadline's basis in words, and the
timeline's verbs as sentences."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suggestions.models import Proposal

register = template.Library()

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
    "assigned": gettext_lazy("Assigned"),
    "reassigned": gettext_lazy("Reassigned"),
    "accepted_by_unit": gettext_lazy("Taken on by the unit"),
    "objected": gettext_lazy("Objection raised"),
    "objection_refused": gettext_lazy("Objection refused"),
    "extension_requested": gettext_lazy("Extension requested"),
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



@register.filter
def event_label(verb: str) -> str:
    label = VERBS.get(verb)
    if label is not None:
        return str(label)
    state = verb.removeprefix("proposal_")
    if verb.startswith("proposal_") and state in Proposal.State.values:
        # The proposal following its units (services.handling.advance_proposal).
        return _("The proposal is now: %(state)s") % {"state": Proposal.State(state).label}
    return verb.replace("_", " ")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:g}%"


@register.filter
def class_share(figures, code):
    return figures.class_share(code)


@register.filter
def attitude_rate(tally):
    return tally.satisfied_rate("attitude")
