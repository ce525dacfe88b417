"""Filing, co-signing, submission, review, numbering and withdrawal."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import Event, Notification
from congress.workflow import IllegalTransition, TransitionForbidden
from deputies.models import ActivityKind, DutyParticipation
from suggestions import services
from suggestions.models import Proposal, Signer
from tests.factories.deputies import DeputyFactory

pytestmark = pytest.mark.django_db


def verbs(obj):
    return list(Event.objects.for_object(obj).values_list("verb", flat=True))


def test_deputy_files_a_joint_suggestion_and_the_co_signer_is_asked_to_confirm(flow, co_deputy_user):
    proposal = flow.filed()

    assert proposal.state == Proposal.State.DRAFT
    signers = {signer.deputy_id: signer for signer in proposal.signers.all()}
    assert signers[flow.deputy.pk].is_lead and signers[flow.deputy.pk].is_confirmed
    assert not signers[flow.co_deputy.pk].is_confirmed
    assert Notification.objects.filter(recipient=co_deputy_user, kind="suggestions.signature_requested").exists()
    assert verbs(proposal) == ["filed"]


def test_nobody_files_in_another_deputys_name(flow, co_deputy_user, staff_admin):
    for actor in (co_deputy_user, staff_admin):
        with pytest.raises(TransitionForbidden):
            services.proposal_file(actor=actor, lead_deputy=flow.deputy, title="t", content="c")


def test_co_signer_confirms_from_their_own_account_only(flow, co_deputy_user, deputy_user):
    proposal = flow.filed()
    signer = proposal.signers.get(deputy=flow.co_deputy)
    with pytest.raises(TransitionForbidden):
        services.signer_confirm(actor=deputy_user, signer=signer)

    services.signer_confirm(actor=co_deputy_user, signer=signer)

    assert Signer.objects.get(pk=signer.pk).is_confirmed
    assert "signature_confirmed" in verbs(proposal)


def test_submission_records_the_filing_in_every_confirmed_signers_duty_record(flow, co_deputy_user):
    proposal = flow.filed()
    services.signer_confirm(actor=co_deputy_user, signer=proposal.signers.get(deputy=flow.co_deputy))

    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED and proposal.received_on is not None
    participants = set(
        DutyParticipation.objects.filter(activity__kind=ActivityKind.SUGGESTION).values_list("deputy_id", flat=True)
    )
    assert participants == {flow.deputy.pk, flow.co_deputy.pk}


def test_only_the_lead_deputy_submits(flow, co_deputy_user, staff_admin):
    proposal = flow.filed()
    for actor in (co_deputy_user, staff_admin):
        with pytest.raises(TransitionForbidden):
            services.proposal_submit(actor=actor, proposal=proposal)


def test_district_motion_below_ten_confirmed_signers_cannot_be_submitted(flow, district_body, term):
    co_signers = [DeputyFactory(body=district_body, term=term) for _ in range(9)]
    proposal = flow.filed(kind="motion", co_signers=co_signers)
    # Nine signers confirmed (the lead and eight co-signers): still one short.
    Signer.objects.filter(proposal=proposal, deputy__in=co_signers[:8]).update(confirmed_at=proposal.created_at)

    with pytest.raises(services.SignersBelowThreshold) as refused:
        services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    assert refused.value.code == "motion_signers_below_threshold"
    assert refused.value.params == {"needed": 10, "count": 9}

    Signer.objects.filter(proposal=proposal, deputy=co_signers[8]).update(confirmed_at=proposal.created_at)
    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.SUBMITTED


def test_township_motion_needs_five_signers(township_body_a):
    from congress.models.accounts import Role
    from tests.factories.congress import TermFactory, user_with_role

    term = TermFactory(body=township_body_a)
    user = user_with_role(Role.DEPUTY, username="town_deputy", body=township_body_a)
    lead = DeputyFactory(body=township_body_a, term=term, user=user)
    co_signers = [DeputyFactory(body=township_body_a, term=term) for _ in range(4)]
    proposal = services.proposal_file(actor=user, lead_deputy=lead, kind="motion", title="t", content="c",
                                      co_signers=co_signers)
    Signer.objects.filter(proposal=proposal).update(confirmed_at=proposal.created_at)

    services.proposal_submit(actor=user, proposal=proposal)

    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.SUBMITTED


def test_acceptance_numbers_session_and_recess_proposals_in_separate_series(flow):
    first = flow.accepted()
    second = flow.accepted()
    recess = flow.accepted(recess=True)

    assert first.number == "18-1-J-001"
    assert second.number == "18-1-J-002"
    assert recess.number == "18-BH-J-001"
    assert first.state == Proposal.State.ACCEPTED
    assert "accepted" in verbs(first)


def test_motion_is_accepted_as_motion_or_converted_keeping_its_motion_number(flow, district_body, term):
    co_signers = [DeputyFactory(body=district_body, term=term) for _ in range(9)]

    def motion():
        proposal = flow.filed(kind="motion", co_signers=co_signers)
        Signer.objects.filter(proposal=proposal).update(confirmed_at=proposal.created_at)
        return services.proposal_submit(actor=flow.deputy_user, proposal=proposal)

    as_motion = services.proposal_accept(actor=flow.staff, proposal=motion())
    converted = services.motion_convert_to_suggestion(actor=flow.staff, proposal=motion())

    assert as_motion.number == "18-1-Y-001" and as_motion.kind == Proposal.Kind.MOTION
    assert converted.kind == Proposal.Kind.SUGGESTION
    assert converted.converted_from_number == "18-1-Y-002"
    assert converted.number == "18-1-J-001"
    assert "converted_to_suggestion" in verbs(converted)


def test_staff_return_a_proposal_with_a_standard_reason(flow, return_reasons, co_deputy_user):
    proposal = flow.submitted()

    services.proposal_return(actor=flow.staff, proposal=proposal, reason=return_reasons["personal"],
                             note="属个人诉求", convert_to_letter=True)

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.RETURNED
    assert proposal.return_reason.code == "personal" and proposal.converted_to_letter
    assert proposal.number is None


@pytest.mark.parametrize("actor_name", ["deputy_user", "unit_officer", "township_officer_a", "leader", "auditor"])
def test_only_staff_review(flow, request, actor_name, return_reasons):
    proposal = flow.submitted()
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(TransitionForbidden):
        services.proposal_accept(actor=actor, proposal=proposal)
    with pytest.raises(TransitionForbidden):
        services.proposal_return(actor=actor, proposal=proposal, reason=return_reasons["personal"])


def test_review_is_refused_outside_the_submitted_state(flow, return_reasons):
    draft = flow.filed()
    accepted = flow.accepted()
    for proposal in (draft, accepted):
        with pytest.raises(IllegalTransition):
            services.proposal_accept(actor=flow.staff, proposal=proposal)
        with pytest.raises(IllegalTransition):
            services.proposal_return(actor=flow.staff, proposal=proposal, reason=return_reasons["personal"])


def test_withdrawal_needs_every_signers_consent(flow, co_deputy_user):
    proposal = flow.filed()
    co_signer = proposal.signers.get(deputy=flow.co_deputy)
    services.signer_confirm(actor=co_deputy_user, signer=co_signer)
    proposal = services.proposal_submit(actor=flow.deputy_user, proposal=proposal)

    with pytest.raises(services.WithdrawalConsentMissing) as refused:
        services.proposal_withdraw(actor=flow.deputy_user, proposal=proposal)
    assert refused.value.code == "withdrawal_consent_missing"

    services.signer_consent_withdrawal(actor=co_deputy_user, signer=co_signer)
    services.proposal_withdraw(actor=flow.deputy_user, proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.WITHDRAWN


def test_withdrawal_is_refused_after_assignment(flow):
    assignment = flow.assigned(co_signers=[])
    with pytest.raises(IllegalTransition):
        services.proposal_withdraw(actor=flow.deputy_user, proposal=assignment.proposal)


def test_attachments_are_checked_for_type_and_content(flow):
    proposal = flow.filed()
    pdf = SimpleUploadedFile("现场照片说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.attachment_add(actor=flow.deputy_user, proposal=proposal, upload=pdf)
    assert proposal.attachments.get().content_type == "application/pdf"

    for name, content in (("page.html", b"<html>"), ("fake.pdf", b"MZ\x90\x00"), ("run.exe", b"MZ")):
        with pytest.raises(ValidationError):
            services.attachment_add(
                actor=flow.deputy_user, proposal=proposal, upload=SimpleUploadedFile(name, content)
            )


def test_numbers_are_unique_within_a_body_and_a_township_congress_keeps_its_own_series(
    district_body, township_body_a
):
    from django.db import IntegrityError, transaction

    from tests.factories.suggestions import ProposalFactory

    ProposalFactory(body=district_body, number="18-BH-J-001")
    # The township congress's 18th term runs beside the district's: the same number is its own.
    ProposalFactory(body=township_body_a, number="18-BH-J-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory(body=district_body, number="18-BH-J-001")
