"""Showing a citizen's phone in full to the office that handles the opinion (SECURITY S17, S18)."""

from congress.unmasking import record_unmask
from contact_stations import permissions
from contact_stations.models import Opinion


def opinion_unmask_phone(*, actor, opinion: Opinion, reason: str, request=None) -> str:
    """The citizen's full phone for a stated reason: an `unmask` security line and an event on the
    opinion's timeline. Contact data removed after the retention period stays removed."""
    record_unmask(
        actor=actor, obj=opinion, allowed=permissions.can_unmask_citizen_phone(actor, opinion), field="citizen_phone",
        reason=reason, request=request,
    )
    return opinion.citizen_phone
