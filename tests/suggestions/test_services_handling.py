"""Assignment, objections, reassignment, extensions, contacts, co-handlers and replies."""

import datetime

import pytest

from congress.models import Event, Notification
from congress.workflow import IllegalTransition, TransitionForbidden
from deputies.models import DutyParticipation
from suggestions import services
from suggestions.models import Assignment, Commitment, Extension, Proposal

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def verbs(obj):
    return list(Event.objects.for_object(obj).values_list("verb", flat=True))


def test_assignment_stores_every_deadline_with_its_basis(flow, education_bureau):
    lead = flow.assigned(assigned_on=MONDAY, co_units=[education_bureau])
    co = lead.proposal.assignments.get(role=Assignment.Role.CO)

    assert lead.reply_due == datetime.date(2026, 6, 2)
    assert lead.reply_due_basis == {
        "rule": "reply_months", "label": lead.reply_due_basis["label"], "value": 3, "unit": "months",
        "start": "2026-03-02",
    }
    assert lead.objection_due == datetime.date(2026, 3, 11)  # 7 working days
    assert lead.objection_due_basis["unit"] == "working_days"
    assert lead.max_due == datetime.date(2026, 9, 2)
    assert lead.max_due_basis["rule"] == "extension_max_months"
    assert co.co_opinion_due == datetime.date(2026, 5, 2) and co.reply_due is None
    assert Proposal.objects.get(pk=lead.proposal_id).state == Proposal.State.ASSIGNED
    assert Notification.objects.filter(recipient=flow.unit_officer, kind="suggestions.assigned").exists()


def test_split_handling_gives_each_unit_its_own_reply(flow, education_bureau):
    proposal = flow.accepted()
    assignments = services.proposal_assign(actor=flow.staff, proposal=proposal,
                                           split_units=[flow.unit, education_bureau])
    assert {a.role for a in assignments} == {Assignment.Role.SPLIT}
    assert all(a.reply_due for a in assignments)


def test_recess_suggestion_assigned_after_seven_working_days_is_flagged(flow):
    # Received on Thursday 12 February 2026: 7 working days run across the Spring Festival
    # holiday (15–23 February) and the two make-up Saturdays, to Saturday 28 February.
    proposal = flow.accepted(recess=True, received_on=datetime.date(2026, 2, 12))
    assert proposal.intake_due == datetime.date(2026, 2, 28)
    assert proposal.intake_due_basis["rule"] == "assignment_working_days"

    services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit,
                             assigned_on=datetime.date(2026, 3, 2))

    proposal.refresh_from_db()
    assert proposal.intake_late


def test_recess_suggestion_assigned_in_time_is_not_flagged(flow):
    proposal = flow.accepted(recess=True, received_on=datetime.date(2026, 2, 12))
    services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit,
                             assigned_on=datetime.date(2026, 2, 27))
    proposal.refresh_from_db()
    assert not proposal.intake_late


@pytest.mark.parametrize("actor_name", ["deputy_user", "unit_officer", "township_officer_a", "auditor", "member"])
def test_only_staff_assign(flow, request, actor_name):
    proposal = flow.accepted()
    with pytest.raises(TransitionForbidden):
        services.proposal_assign(actor=request.getfixturevalue(actor_name), proposal=proposal, lead_unit=flow.unit)


def test_assignment_is_refused_before_acceptance(flow):
    proposal = flow.submitted()
    with pytest.raises(IllegalTransition):
        services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit)


def test_unit_objects_within_seven_working_days_and_staff_reassign(flow, education_bureau, education_officer):
    assignment = flow.assigned()
    objection = services.assignment_object(actor=flow.unit_officer, assignment=assignment,
                                           reason="该事项属教育部门职责。", on=assignment.objection_due)
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.OBJECTED

    new = services.assignment_reassign(actor=flow.staff, assignment=assignment, unit=education_bureau)

    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.REASSIGNED
    assert new.unit == education_bureau and new.role == Assignment.Role.LEAD and new.replaces_id == assignment.pk
    objection.refresh_from_db()
    assert objection.decision == "reassigned"
    assert Notification.objects.filter(recipient=education_officer, kind="suggestions.assigned").exists()


def test_late_objection_is_refused(flow):
    assignment = flow.assigned()
    with pytest.raises(services.ObjectionTooLate) as refused:
        services.assignment_object(actor=flow.unit_officer, assignment=assignment, reason="不属本单位职责",
                                   on=assignment.objection_due + datetime.timedelta(days=1))
    assert refused.value.code == "objection_late"
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.ASSIGNED


def test_another_units_officer_cannot_act_on_the_assignment(flow, education_officer):
    assignment = flow.assigned()
    with pytest.raises(TransitionForbidden):
        services.assignment_object(actor=education_officer, assignment=assignment, reason="x")
    with pytest.raises(TransitionForbidden):
        flow.unit_officer = education_officer
        flow.contact(assignment)


def test_refused_objection_keeps_the_unit_handling(flow):
    assignment = flow.assigned()
    objection = services.assignment_object(actor=flow.unit_officer, assignment=assignment, reason="x",
                                           on=assignment.assigned_on)
    services.objection_refuse(actor=flow.staff, objection=objection, note="属本单位职责")
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.HANDLING


def test_extension_is_approved_and_the_deputy_told(flow, deputy_user):
    assignment = flow.assigned(assigned_on=MONDAY)
    extension = services.extension_request(actor=flow.unit_officer, assignment=assignment,
                                           requested_due=datetime.date(2026, 8, 31), reason="需协调多部门")
    services.extension_approve(actor=flow.staff, extension=extension, note="同意")

    assignment.refresh_from_db()
    assert assignment.reply_due == datetime.date(2026, 8, 31) and assignment.is_extended
    assert assignment.reply_due_basis["rule"] == "extension"
    assert assignment.reply_due_basis["previous"]["rule"] == "reply_months"
    assert Notification.objects.filter(recipient=deputy_user, kind="suggestions.extension_decided").exists()


def test_extension_never_passes_six_months_after_assignment(flow):
    assignment = flow.assigned(assigned_on=MONDAY)
    with pytest.raises(services.ExtensionBeyondCap) as refused:
        services.extension_request(actor=flow.unit_officer, assignment=assignment,
                                   requested_due=datetime.date(2026, 9, 3), reason="复杂")
    assert refused.value.code == "extension_beyond_cap"

    services.extension_request(actor=flow.unit_officer, assignment=assignment,
                               requested_due=datetime.date(2026, 9, 2), reason="复杂")


def test_refused_extension_leaves_the_due_date(flow, deputy_user):
    assignment = flow.assigned(assigned_on=MONDAY)
    extension = services.extension_request(actor=flow.unit_officer, assignment=assignment,
                                           requested_due=datetime.date(2026, 7, 1), reason="r")
    with pytest.raises(TransitionForbidden):
        services.extension_approve(actor=flow.unit_officer, extension=extension)
    services.extension_refuse(actor=flow.staff, extension=extension, note="不符合延期条件")

    assert Assignment.objects.get(pk=assignment.pk).reply_due == datetime.date(2026, 6, 2)
    assert Extension.objects.get(pk=extension.pk).state == Extension.State.REFUSED
    assert Notification.objects.filter(recipient=deputy_user, kind="suggestions.extension_decided").exists()


def test_unit_cannot_reply_before_contacting_the_deputy(flow):
    assignment = flow.assigned()
    with pytest.raises(services.ContactRequired) as refused:
        services.reply_submit(actor=flow.unit_officer, assignment=assignment, text="答复",
                              reply_class=flow.reply_classes["A"], officer="李科长")
    assert refused.value.code == "contact_required"
    assert not assignment.replies.exists()


def test_contact_counts_in_the_deputys_duty_record_and_starts_handling(flow):
    assignment = flow.assigned()
    contact = flow.contact(assignment)

    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.HANDLING
    assert Proposal.objects.get(pk=assignment.proposal_id).state == Proposal.State.HANDLING
    assert DutyParticipation.objects.filter(
        deputy=flow.deputy, activity__source_object_id=str(contact.pk)
    ).exists()


@pytest.mark.parametrize("code", ["B", "C"])
def test_class_b_and_c_replies_need_a_dated_commitment(flow, code):
    assignment = flow.assigned()
    flow.contact(assignment)
    with pytest.raises(services.CommitmentRequired) as refused:
        services.reply_submit(actor=flow.unit_officer, assignment=assignment, text="答复",
                              reply_class=flow.reply_classes[code], officer="李科长")
    assert refused.value.code == "commitment_required"


def test_reply_goes_to_every_signer_and_opens_the_evaluation_window(flow, co_deputy_user, deputy_user):
    proposal = flow.filed()
    services.signer_confirm(actor=co_deputy_user, signer=proposal.signers.get(deputy=flow.co_deputy))
    services.proposal_submit(actor=deputy_user, proposal=proposal)
    services.proposal_accept(actor=flow.staff, proposal=proposal)
    assignment = services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit)[0]

    assignment = flow.replied(reply_class="B", assignment=assignment, on=MONDAY)

    assert assignment.state == Assignment.State.REPLIED
    assert assignment.rating_due == datetime.date(2026, 3, 23)  # 15 working days
    assert assignment.rating_status == Assignment.RatingStatus.PENDING
    assert Commitment.objects.filter(reply__assignment=assignment, due_on=datetime.date(2026, 12, 31)).exists()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.REPLIED and proposal.outcome.code == "B"
    for user in (deputy_user, co_deputy_user):
        assert Notification.objects.filter(recipient=user, kind="suggestions.replied").exists()


def test_co_handler_opinion_reaches_the_lead_unit_and_is_attached_to_the_reply(flow, education_bureau,
                                                                                education_officer):
    lead = flow.assigned(co_units=[education_bureau])
    co = lead.proposal.assignments.get(role=Assignment.Role.CO)
    opinion = services.co_opinion_submit(actor=education_officer, assignment=co, text="同意主办单位意见")
    assert Notification.objects.filter(recipient=flow.unit_officer, kind="suggestions.co_opinion").exists()
    assert Assignment.objects.get(pk=co.pk).state == Assignment.State.CLOSED

    flow.replied(assignment=lead)

    opinion.refresh_from_db()
    assert opinion.attached_to == lead.replies.get()


def test_urging_is_logged_and_sent_to_the_unit(flow):
    assignment = flow.assigned()
    services.assignment_urge(actor=flow.staff, assignment=assignment, note="请加快办理")
    assert "urged" in verbs(assignment) and "urged" in verbs(assignment.proposal)
    assert Notification.objects.filter(recipient=flow.unit_officer, kind="suggestions.urged", is_urgent=True).exists()
    with pytest.raises(TransitionForbidden):
        services.assignment_urge(actor=flow.deputy_user, assignment=assignment, note="x")
