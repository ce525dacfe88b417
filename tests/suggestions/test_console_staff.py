"""The office's console: intake and review, assignment with suggested units, the deadlines board,
extension and objection decisions, urging, re-handling, paper ratings and key suggestions — each
by the right role and refused for the wrong one, with bounded queries on every list."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from congress.models import Event
from congress.rules import describe_basis as deadline_basis
from suggestions import services
from suggestions.models import (
    Assignment,
    Category,
    Extension,
    KeySuggestion,
    KeySuggestionProgress,
    Objection,
    Proposal,
    Rating,
)
from suggestions.services import NotRehandlable

pytestmark = pytest.mark.django_db

INTAKE = reverse("console:suggestions:intake")
DEADLINES = reverse("console:suggestions:deadlines")
EXTENSIONS = reverse("console:suggestions:extensions")
OBJECTIONS = reverse("console:suggestions:objections")
REHANDLING = reverse("console:suggestions:rehandling")
KEYS = reverse("console:suggestions:key_suggestions")

PDF = b"%PDF-1.4\n% scan\n"


def url(name, *args):
    return reverse(f"console:suggestions:{name}", args=args)


def verbs(obj):
    return list(Event.objects.for_object(obj).values_list("verb", flat=True))


def message(error_class) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return escape(str(error_class.default_message))


# ---- who may open the office's pages ---------------------------------------------------------------


@pytest.mark.parametrize("page", [INTAKE, DEADLINES, EXTENSIONS, OBJECTIONS, REHANDLING])
def test_office_pages_are_for_staff_only(client, login, page, staff_clerk, unit_officer, deputy_user, leader,
                                         township_officer_a):
    assert login(client, staff_clerk).get(page).status_code == 200
    for user in (unit_officer, deputy_user, leader, township_officer_a):
        assert login(client, user).get(page).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(INTAKE).status_code == 302


# ---- intake and review ---------------------------------------------------------------------------


def test_intake_queue_lists_submitted_proposals_with_signer_confirmations(client, login, flow, staff_admin):
    proposal = flow.submitted()
    response = login(client, staff_admin).get(INTAKE)

    rows = list(response.context["page_obj"])
    assert [p.pk for p in rows] == [proposal.pk]
    assert (rows[0].confirmed_count, rows[0].signer_count) == (1, 2)


@pytest.mark.parametrize("count", [5, 50])
def test_intake_queue_costs_the_same_queries_for_5_or_50(client, login, flow, staff_admin, count,
                                                         django_assert_max_num_queries):
    for _index in range(count):
        flow.submitted()
    login(client, staff_admin)
    with django_assert_max_num_queries(12):
        assert client.get(INTAKE).status_code == 200


def test_staff_accept_a_proposal_and_it_gets_its_number(client, login, flow, staff_admin):
    proposal = flow.submitted()
    response = login(client, staff_admin).post(url("proposal_accept", proposal.pk))

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED and proposal.number
    assert "accepted" in verbs(proposal)


def test_a_unit_officer_cannot_accept(client, login, flow, unit_officer):
    proposal = flow.submitted()
    assert login(client, unit_officer).post(url("proposal_accept", proposal.pk)).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED


def test_staff_of_another_congress_get_404(client, login, flow, township_body_a):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    other_staff = user_with_role(Role.STAFF_ADMIN, username="town_staff", body=township_body_a)
    proposal = flow.submitted()
    login(client, other_staff)
    assert client.get(url("proposal_detail", proposal.pk)).status_code == 404
    assert client.post(url("proposal_accept", proposal.pk)).status_code == 404


def test_staff_return_with_a_standard_reason(client, login, flow, staff_admin, return_reasons):
    proposal = flow.submitted()
    login(client, staff_admin).post(url("proposal_return", proposal.pk), {
        "reason": return_reasons["personal"].pk, "note": "属个人事项", "convert_to_letter": "on",
    })
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.RETURNED
    assert proposal.return_reason == return_reasons["personal"] and proposal.converted_to_letter


def test_returning_without_a_reason_changes_nothing(client, login, flow, staff_admin, return_reasons):
    proposal = flow.submitted()
    response = login(client, staff_admin).post(url("proposal_return", proposal.pk), {"note": "x"})
    assert response.status_code == 200 and response.context["return_form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED


def test_a_motion_is_converted_to_a_suggestion_keeping_its_motion_number(client, login, flow, staff_admin,
                                                                         district_body, term):
    from congress.models import BodyRules

    BodyRules.objects.update_or_create(body=district_body, defaults={"motion_min_signers_district": 2})
    proposal = flow.filed(kind="motion")
    services.signer_confirm(actor=flow.co_deputy.user, signer=proposal.signers.get(is_lead=False))
    proposal = services.proposal_submit(actor=flow.deputy_user, proposal=proposal)

    login(client, staff_admin).post(url("proposal_convert", proposal.pk))

    proposal.refresh_from_db()
    assert proposal.kind == Proposal.Kind.SUGGESTION
    assert "-Y-" in proposal.converted_from_number and "-J-" in proposal.number


# ---- assignment --------------------------------------------------------------------------------------


def test_assign_page_suggests_the_units_most_often_given_the_category(
    client, login, flow, staff_admin, district_body, education_bureau
):
    category = Category.objects.create(body=district_body, name="教育")
    for unit in (education_bureau, education_bureau, flow.unit):
        proposal = flow.accepted(category=category)
        services.proposal_assign(actor=staff_admin, proposal=proposal, lead_unit=unit)
    proposal = flow.accepted(category=category)

    response = login(client, staff_admin).get(url("proposal_assign", proposal.pk))

    assert [unit.pk for unit in response.context["suggested"]] == [education_bureau.pk, flow.unit.pk]
    assert [unit.times_assigned for unit in response.context["suggested"]] == [2, 1]


def test_staff_assign_a_lead_unit_with_a_co_handler(client, login, flow, staff_admin, education_bureau):
    proposal = flow.accepted()
    response = login(client, staff_admin).post(url("proposal_assign", proposal.pk), {
        "mode": "lead", "lead_unit": flow.unit.pk, "co_units": [education_bureau.pk],
    })
    assert response.status_code == 302
    roles = dict(Assignment.objects.filter(proposal=proposal).values_list("unit_id", "role"))
    assert roles == {flow.unit.pk: Assignment.Role.LEAD, education_bureau.pk: Assignment.Role.CO}


def test_split_handling_needs_two_units(client, login, flow, staff_admin):
    proposal = flow.accepted()
    response = login(client, staff_admin).post(url("proposal_assign", proposal.pk), {
        "mode": "split", "split_units": [flow.unit.pk],
    })
    assert response.status_code == 200 and response.context["form"].errors["split_units"]
    assert not Assignment.objects.exists()


def test_a_unit_officer_cannot_assign(client, login, flow, unit_officer):
    proposal = flow.accepted()
    response = login(client, unit_officer).post(url("proposal_assign", proposal.pk),
                                                 {"mode": "lead", "lead_unit": flow.unit.pk})
    assert response.status_code == 403
    assert not Assignment.objects.exists()


# ---- deadlines board ---------------------------------------------------------------------------------


def test_deadlines_board_shows_overdue_and_due_soon_with_their_basis(client, login, flow, staff_admin):
    today = datetime.date.today()
    overdue = flow.assigned(assigned_on=today - datetime.timedelta(days=120))
    soon = flow.assigned(assigned_on=today - datetime.timedelta(days=85))
    later = flow.assigned(assigned_on=today)

    response = login(client, staff_admin).get(DEADLINES)

    assert [a.pk for a in response.context["overdue"]] == [overdue.pk]
    assert [a.pk for a in response.context["due_soon"]] == [soon.pk]
    assert later.pk not in {a.pk for a in response.context["due_soon"]}
    content = response.content.decode()
    assert escape(deadline_basis(overdue.reply_due_basis)) in content
    assert escape(deadline_basis(soon.reply_due_basis)) in content


@pytest.mark.parametrize("count", [5, 50])
def test_deadlines_board_costs_the_same_queries_for_5_or_50(client, login, flow, staff_admin, count,
                                                            django_assert_max_num_queries):
    start = datetime.date.today() - datetime.timedelta(days=120)
    for _index in range(count):
        flow.assigned(assigned_on=start)
    login(client, staff_admin)
    with django_assert_max_num_queries(14):
        assert client.get(DEADLINES).status_code == 200


# ---- extensions and objections -----------------------------------------------------------------------


def _extension(flow):
    assignment = flow.assigned()
    return services.extension_request(actor=flow.unit_officer, assignment=assignment,
                                      requested_due=assignment.max_due, reason="涉及多部门")


def test_staff_approve_an_extension_and_the_due_date_moves(client, login, flow, staff_admin):
    extension = _extension(flow)
    login(client, staff_admin)
    assert extension in client.get(EXTENSIONS).context["page_obj"]

    client.post(url("extension_approve", extension.pk), {"note": "同意"})

    extension.refresh_from_db()
    assert extension.state == Extension.State.APPROVED
    assignment = Assignment.objects.get(pk=extension.assignment_id)
    assert assignment.reply_due == extension.requested_due and assignment.is_extended


def test_refusing_an_extension_needs_a_reason(client, login, flow, staff_admin):
    extension = _extension(flow)
    login(client, staff_admin)
    client.post(url("extension_refuse", extension.pk), {"note": ""})
    extension.refresh_from_db()
    assert extension.state == Extension.State.REQUESTED

    client.post(url("extension_refuse", extension.pk), {"note": "理由不充分"})
    extension.refresh_from_db()
    assert extension.state == Extension.State.REFUSED


def test_a_unit_officer_cannot_decide_their_own_extension(client, login, flow):
    extension = _extension(flow)
    assert login(client, flow.unit_officer).post(url("extension_approve", extension.pk)).status_code == 403
    extension.refresh_from_db()
    assert extension.state == Extension.State.REQUESTED


@pytest.mark.parametrize("count", [5, 50])
def test_extension_list_costs_the_same_queries_for_5_or_50(client, login, flow, staff_admin, count,
                                                           django_assert_max_num_queries):
    for _index in range(count):
        _extension(flow)
    login(client, staff_admin)
    with django_assert_max_num_queries(12):
        assert client.get(EXTENSIONS).status_code == 200


def _objection(flow):
    assignment = flow.assigned()
    return services.assignment_object(actor=flow.unit_officer, assignment=assignment, reason="非本单位职责")


def test_staff_refuse_an_objection_and_the_unit_keeps_handling(client, login, flow, staff_admin):
    objection = _objection(flow)
    login(client, staff_admin).post(url("objection_refuse", objection.pk), {"note": "属于职责范围"})
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.REFUSED
    assert Assignment.objects.get(pk=objection.assignment_id).state == Assignment.State.HANDLING


def test_staff_reassign_after_an_objection(client, login, flow, staff_admin, education_bureau):
    objection = _objection(flow)
    login(client, staff_admin)
    assert objection in client.get(OBJECTIONS).context["page_obj"]

    client.post(url("assignment_reassign", objection.assignment_id),
                {"unit": education_bureau.pk, "note": "改由教育局办理", "next": "objections"})

    old = Assignment.objects.get(pk=objection.assignment_id)
    assert old.state == Assignment.State.REASSIGNED
    assert Assignment.objects.get(replaces=old).unit == education_bureau
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.REASSIGNED


@pytest.mark.parametrize("count", [5, 50])
def test_objection_list_costs_the_same_queries_for_5_or_50(client, login, flow, staff_admin, count,
                                                           django_assert_max_num_queries):
    for _index in range(count):
        _objection(flow)
    login(client, staff_admin)
    with django_assert_max_num_queries(12):
        assert client.get(OBJECTIONS).status_code == 200


# ---- urging, re-handling, paper ratings ------------------------------------------------------------


def test_staff_urge_a_unit_and_print_the_urging_letter(client, login, flow, staff_admin):
    assignment = flow.assigned()
    login(client, staff_admin)

    client.post(url("assignment_urge", assignment.pk), {"note": "请于本月底前答复代表"})

    event = Event.objects.for_object(assignment).get(verb="urged")
    assert event.note == "请于本月底前答复代表"
    assert "urged" in verbs(assignment.proposal)
    detail = client.get(url("proposal_detail", assignment.proposal_id))
    letter_url = url("urging_letter", assignment.pk, event.pk)
    assert letter_url in detail.content.decode()
    letter = client.get(letter_url)
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")


def test_urging_needs_a_note_and_staff(client, login, flow, staff_admin):
    assignment = flow.assigned()
    login(client, staff_admin).post(url("assignment_urge", assignment.pk), {"note": ""})
    assert not Event.objects.for_object(assignment).filter(verb="urged").exists()

    login(client, flow.unit_officer)
    assert client.post(url("assignment_urge", assignment.pk), {"note": "x"}).status_code == 403


def test_the_unit_cannot_print_an_urging_letter(client, login, flow, staff_admin):
    assignment = flow.assigned()
    services.assignment_urge(actor=staff_admin, assignment=assignment, note="催办")
    event = Event.objects.for_object(assignment).get(verb="urged")
    assert login(client, flow.unit_officer).get(url("urging_letter", assignment.pk, event.pk)).status_code == 403


def _unsatisfied(flow):
    assignment = flow.replied()
    services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude="satisfied",
                           result="unsatisfied", reason="问题没有解决")
    assignment.refresh_from_db()
    return assignment


def test_staff_order_re_handling_after_an_unsatisfied_result(client, login, flow, staff_admin):
    assignment = _unsatisfied(flow)
    login(client, staff_admin)
    assert [a.pk for a in client.get(REHANDLING).context["page_obj"]] == [assignment.pk]

    client.post(url("rehandling_order", assignment.pk), {"note": "请重新办理", "next": "rehandling"})

    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.REHANDLING and assignment.round == 2
    assert "rehandling_ordered" in verbs(assignment)


def test_re_handling_is_refused_after_a_satisfied_result(client, login, flow, staff_admin):
    assignment = flow.replied()
    services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude="satisfied", result="satisfied")
    response = login(client, staff_admin).post(url("rehandling_order", assignment.pk), follow=True)
    assert message(NotRehandlable) in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.EVALUATED and assignment.round == 1


def test_the_unit_cannot_order_re_handling(client, login, flow):
    assignment = _unsatisfied(flow)
    assert login(client, flow.unit_officer).post(url("rehandling_order", assignment.pk)).status_code == 403


def test_a_re_handling_decision_past_its_due_date_is_flagged_overdue(client, login, flow, staff_admin):
    long_ago = datetime.date.today() - datetime.timedelta(days=30)
    assignment = flow.replied(on=long_ago)
    services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude="satisfied",
                           result="unsatisfied", reason="问题没有解决", on=long_ago + datetime.timedelta(days=1))
    assignment.refresh_from_db()
    assert assignment.rehandling_order_due < datetime.date.today()

    content = login(client, staff_admin).get(REHANDLING).content.decode()

    with translation.override(settings.LANGUAGE_CODE):
        assert escape(deadline_basis(assignment.rehandling_order_due_basis)) in content
        assert translation.gettext("overdue") in content


@pytest.mark.parametrize("count", [5, 50])
def test_rehandling_list_costs_the_same_queries_for_5_or_50(client, login, flow, staff_admin, count,
                                                            django_assert_max_num_queries):
    for _index in range(count):
        _unsatisfied(flow)
    login(client, staff_admin)
    with django_assert_max_num_queries(12):
        assert client.get(REHANDLING).status_code == 200


def test_staff_enter_a_paper_rating_with_a_scan_and_a_reason(client, login, flow, staff_admin):
    assignment = flow.replied()
    login(client, staff_admin)

    missing = client.post(url("paper_rating", assignment.pk), {
        "attitude": "satisfied", "result": "satisfied", "staff_reason": "代表不会使用手机",
    })
    assert missing.status_code == 200 and missing.context["form"].errors["scan"]
    assert not Rating.objects.exists()

    client.post(url("paper_rating", assignment.pk), {
        "attitude": "satisfied", "result": "basically_satisfied", "staff_reason": "代表不会使用手机",
        "scan": SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    })
    rating = Rating.objects.get()
    assert rating.entered_by_staff and rating.via == Rating.Via.PAPER and rating.entered_by == staff_admin


def test_the_unit_cannot_enter_a_paper_rating(client, login, flow):
    assignment = flow.replied()
    response = login(client, flow.unit_officer).post(url("paper_rating", assignment.pk), {
        "attitude": "satisfied", "result": "satisfied", "staff_reason": "x",
        "scan": SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    })
    assert response.status_code == 403
    assert not Rating.objects.exists()


# ---- key suggestions --------------------------------------------------------------------------------


def test_staff_designate_a_key_suggestion_and_log_its_progress(client, login, flow, staff_admin, leader,
                                                               committee):
    assignment = flow.assigned()
    login(client, staff_admin)
    client.post(url("key_designate", assignment.proposal_id), {
        "year": 2026, "supervising_leader": leader.pk, "committee": committee.pk,
    })
    key = KeySuggestion.objects.get(proposal_id=assignment.proposal_id)
    assert key.supervising_leader == leader

    client.post(url("key_progress", key.pk), {"noted_on": "2026-05-01", "note": "召开现场推进会"})
    assert KeySuggestionProgress.objects.get(key_suggestion=key).note == "召开现场推进会"

    response = login(client, leader).get(KEYS)
    assert [k.pk for k in response.context["page_obj"]] == [key.pk]
    assert "召开现场推进会" in response.content.decode()


def test_a_unit_officer_cannot_designate_or_follow_key_suggestions(client, login, flow, leader, committee):
    assignment = flow.assigned()
    login(client, flow.unit_officer)
    assert client.get(KEYS).status_code == 403
    response = client.post(url("key_designate", assignment.proposal_id),
                           {"year": 2026, "supervising_leader": leader.pk, "committee": committee.pk})
    assert response.status_code == 403
    assert not KeySuggestion.objects.exists()


@pytest.mark.parametrize("count", [5, 50])
def test_key_suggestion_list_costs_the_same_queries_for_5_or_50(client, login, flow, staff_admin, leader,
                                                                committee, count, django_assert_max_num_queries):
    for _index in range(count):
        assignment = flow.assigned()
        key = services.key_suggestion_designate(actor=staff_admin, proposal=assignment.proposal, year=2026,
                                                supervising_leader=leader, committee=committee)
        services.key_suggestion_progress_add(actor=staff_admin, key_suggestion=key, note="推进中")
    login(client, staff_admin)
    with django_assert_max_num_queries(12):
        assert client.get(KEYS).status_code == 200


# ---- the proposal page -------------------------------------------------------------------------------


def test_the_proposal_page_shows_every_step_on_the_timeline(client, login, flow, staff_admin):
    assignment = flow.replied(reply_class="B")
    response = login(client, staff_admin).get(url("proposal_detail", assignment.proposal_id))
    timeline_verbs = [event.verb for event in response.context["timeline"]]
    for verb in ("filed", "submitted", "accepted", "assigned", "contact_recorded", "replied"):
        assert verb in timeline_verbs
