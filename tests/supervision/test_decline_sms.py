"""A declined topic proposal's proposer is told: a deputy in their inbox, a citizen who left a
verified phone by SMS (once, whatever the retries), a citizen without a verified phone not at all."""

import pytest

from congress.models import Event, Notification
from congress.notifications import sms
from supervision import services, tasks
from supervision.models import TopicProposal
from supervision.services.citizen_sms import proposal_decline_tell_citizen
from tests.factories.supervision import TopicProposalFactory

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


class FailingSmsBackend(sms.SmsBackend):
    def send(self, *, phone: str, message: str) -> None:
        raise sms.SmsError("gateway down")


def _decline(staff_clerk, proposal, django_capture_on_commit_callbacks, reason="已列入政府年度重点工作"):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decline(actor=staff_clerk, proposal=proposal, reason=reason)


def test_a_citizen_with_a_verified_phone_is_told_the_reason_by_sms(
    staff_clerk, district_body, sms_outbox, celery_eager, django_capture_on_commit_callbacks
):
    proposal = TopicProposalFactory(body=district_body, title="老旧小区加装电梯", citizen_phone=PHONE,
                                    phone_verified=True)
    _decline(staff_clerk, proposal, django_capture_on_commit_callbacks)

    assert [message["phone"] for message in sms_outbox] == [PHONE]
    assert "老旧小区加装电梯" in sms_outbox[0]["message"] and "已列入政府年度重点工作" in sms_outbox[0]["message"]
    assert Event.objects.for_object(proposal).filter(verb="citizen_told_declined").count() == 1


def test_a_phone_never_verified_gets_no_sms(
    staff_clerk, district_body, sms_outbox, celery_eager, django_capture_on_commit_callbacks
):
    proposal = TopicProposalFactory(body=district_body, citizen_phone=PHONE, phone_verified=False)
    _decline(staff_clerk, proposal, django_capture_on_commit_callbacks)
    assert sms_outbox == []


def test_the_citizen_of_a_duplicate_merged_into_the_declined_proposal_is_told_too(
    staff_clerk, district_body, sms_outbox, celery_eager, django_capture_on_commit_callbacks
):
    kept = TopicProposalFactory(body=district_body)
    duplicate = TopicProposalFactory(body=district_body, citizen_phone="13900001111", phone_verified=True)
    services.proposal_merge(actor=staff_clerk, proposal=duplicate, into=kept)
    _decline(staff_clerk, kept, django_capture_on_commit_callbacks, reason="不属于监督范围")

    assert [message["phone"] for message in sms_outbox] == ["13900001111"]
    assert "不属于监督范围" in sms_outbox[0]["message"]


def test_a_task_delivered_twice_sends_one_sms(staff_clerk, district_body, sms_outbox):
    proposal = TopicProposalFactory(body=district_body, citizen_phone=PHONE, phone_verified=True)
    services.proposal_decline(actor=staff_clerk, proposal=proposal, reason="理由")

    assert tasks.tell_citizen_proposal_declined(proposal.pk, proposal.pk) is True
    assert tasks.tell_citizen_proposal_declined(proposal.pk, proposal.pk) is False
    assert len(sms_outbox) == 1


def test_a_gateway_failure_leaves_no_claim_so_the_retry_sends(staff_clerk, district_body, settings, sms_outbox):
    proposal = TopicProposalFactory(body=district_body, citizen_phone=PHONE, phone_verified=True)
    services.proposal_decline(actor=staff_clerk, proposal=proposal, reason="理由")
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"

    with pytest.raises(sms.SmsError):
        proposal_decline_tell_citizen(proposal_id=proposal.pk, declined_id=proposal.pk)
    assert not Event.objects.for_object(proposal).filter(verb="citizen_told_declined").exists()
    settings.SMS_BACKEND = "congress.notifications.sms.MemorySmsBackend"
    assert proposal_decline_tell_citizen(proposal_id=proposal.pk, declined_id=proposal.pk) is True


def test_a_deputy_proposer_is_told_in_the_inbox_and_gets_no_sms(
    staff_clerk, district_body, deputy, deputy_user, sms_outbox, celery_eager, django_capture_on_commit_callbacks
):
    proposal = TopicProposalFactory(body=district_body, channel=TopicProposal.Channel.DEPUTY_SUGGESTION,
                                    proposer_deputy=deputy, proposer_user=deputy_user)
    _decline(staff_clerk, proposal, django_capture_on_commit_callbacks)

    notice = Notification.objects.get(recipient=deputy_user, kind="supervision.proposal_declined")
    assert notice.body == "已列入政府年度重点工作"
    assert sms_outbox == []
