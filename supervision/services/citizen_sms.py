"""Telling a citizen who proposed a topic, by SMS, that it was declined and why.

Only a phone the citizen verified by SMS code is used (the public form's code check). The text
goes out from a Celery task after the decline commits; the task claims the send by writing an
event row under the proposal's lock before it sends, so a task delivered twice sends one SMS,
and a gateway failure rolls the claim back and is retried.
"""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from congress.models import Event
from congress.notifications import sms
from congress.workflow import record_event
from supervision.models import TopicProposal

VERB = "citizen_told_declined"
REASON_LENGTH = 120  # keeps the text within two SMS segments


def citizens_to_tell(family: list[TopicProposal]) -> list[int]:
    """The proposals of the family whose citizen proposer left a verified phone."""
    return [proposal.pk for proposal in family if proposal.phone_verified and proposal.citizen_phone]


def schedule(family: list[TopicProposal], declined: TopicProposal) -> None:
    from supervision import tasks  # the tasks module imports the services

    for proposal_id in citizens_to_tell(family):
        tasks.tell_citizen_proposal_declined.delay_on_commit(proposal_id, declined.pk)


def proposal_decline_tell_citizen(*, proposal_id: int, declined_id: int) -> bool:
    """Send the SMS for one proposal (the declined one or a duplicate merged into it); returns
    whether a message went out."""
    with transaction.atomic():
        proposal = TopicProposal.objects.select_for_update().filter(pk=proposal_id).first()
        declined = TopicProposal.objects.filter(pk=declined_id, state=TopicProposal.State.DECLINED).first()
        if proposal is None or declined is None or not (proposal.phone_verified and proposal.citizen_phone):
            return False
        if Event.objects.for_object(proposal).filter(verb=VERB).exists():
            return False
        record_event(proposal, actor=None, verb=VERB, data={"declined": declined.pk})
        message = _(
            "Your proposed supervision topic “%(title)s” was not adopted into the plan. Reason: %(reason)s"
        ) % {"title": Truncator(proposal.title).chars(30), "reason": Truncator(declined.decline_reason).chars(
            REASON_LENGTH)}
        # Sent inside the claim's transaction: a failure raises, which removes the claim.
        sms.get_backend().send(phone=proposal.citizen_phone, message=message)
    return True
