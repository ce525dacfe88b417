"""The handling unit's console: its own items with deadlines, taking on or objecting, contacts,
extension requests, co-handler opinions, the reply with commitments (blocked without a contact),
fulfilment reports; another unit's item is a 404 and a rating shows only once submitted."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from congress.models import Event
from congress.rules import describe_basis as deadline_basis
from suggestions.models import Assignment, Commitment, Contact, Extension, Objection, Rating, Reply
from suggestions.services import (
    CommitmentRequired,
    ContactRequired,
    ExtensionBeyondCap,
    ObjectionTooLate,
    rating_submit,
)

pytestmark = pytest.mark.django_db

ITEMS = reverse("console:suggestions:unit_items")


def url(name, assignment, *args):
    return reverse(f"console:suggestions:{name}", args=[assignment.pk, *args])


def message(error_class) -> str:
    """A refusal's stable message as the page shows it (in the platform's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return escape(str(error_class.default_message))


def verbs(obj):
    return list(Event.objects.for_object(obj).values_list("verb", flat=True))


# ---- the list ---------------------------------------------------------------------------------


def test_unit_officer_lists_only_their_units_items_with_due_dates_and_basis(
    client, login, flow, education_bureau, education_officer
):
    mine = flow.assigned()
    other_unit = flow.accepted()
    from suggestions import services

    services.proposal_assign(actor=flow.staff, proposal=other_unit, lead_unit=education_bureau)

    response = login(client, flow.unit_officer).get(ITEMS)

    assert response.status_code == 200
    assert [a.pk for a in response.context["page_obj"]] == [mine.pk]
    content = response.content.decode()
    assert mine.reply_due.strftime("%Y-%m-%d") in content
    assert escape(deadline_basis(mine.reply_due_basis)) in content  # the date is shown with its basis


@pytest.mark.parametrize("count", [5, 50])
def test_unit_item_list_costs_the_same_queries_for_5_or_50_items(
    client, login, flow, count, django_assert_max_num_queries
):
    for _index in range(count):
        flow.assigned()
    login(client, flow.unit_officer)
    with django_assert_max_num_queries(12):
        response = client.get(ITEMS)
    assert response.status_code == 200


def test_other_people_have_no_unit_pages(client, login, flow, staff_admin, deputy_user):
    assignment = flow.assigned()
    for user in (staff_admin, deputy_user):
        login(client, user)
        assert client.get(ITEMS).status_code == 403
        assert client.get(url("unit_item", assignment)).status_code == 403


def test_another_units_officer_gets_404_for_every_page_and_action(client, login, flow, education_officer):
    assignment = flow.assigned()
    login(client, education_officer)

    assert client.get(url("unit_item", assignment)).status_code == 404
    for name in ("unit_accept", "unit_object", "unit_contact", "unit_extension", "unit_reply", "unit_co_opinion"):
        assert client.post(url(name, assignment), {"note": "x", "reason": "x"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ASSIGNED


# ---- taking on, objecting ---------------------------------------------------------------------


def test_unit_takes_the_assignment_on(client, login, flow):
    assignment = flow.assigned()
    response = login(client, flow.unit_officer).post(url("unit_accept", assignment))

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.HANDLING
    assert "accepted_by_unit" in verbs(assignment)


def test_unit_objects_with_reasons(client, login, flow):
    assignment = flow.assigned()
    login(client, flow.unit_officer)

    empty = client.post(url("unit_object", assignment), {"note": " "})
    assert empty.status_code == 200 and not Objection.objects.exists()

    client.post(url("unit_object", assignment), {"note": "不属于本单位职责"})
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.OBJECTED
    assert Objection.objects.get(assignment=assignment).reason == "不属于本单位职责"


def test_a_late_objection_is_refused_with_the_stable_message(client, login, flow):
    assignment = flow.assigned(assigned_on=datetime.date(2026, 1, 5))
    response = login(client, flow.unit_officer).post(url("unit_object", assignment), {"note": "晚了"})

    assert response.status_code == 200
    assert message(ObjectionTooLate) in response.content.decode()
    assert not Objection.objects.exists()


# ---- contacts and the reply -----------------------------------------------------------------------


def reply_data(reply_classes, code="A", **extra):
    return {"text": "经研究，已安排实施。", "reply_class": reply_classes[code].pk, "officer": "李科长", **extra}


def test_reply_without_a_contact_shows_the_message_and_changes_nothing(client, login, flow, reply_classes):
    assignment = flow.assigned()
    login(client, flow.unit_officer)
    events_before = Event.objects.count()

    response = client.post(url("unit_reply", assignment), reply_data(reply_classes))

    assert response.status_code == 200
    assert message(ContactRequired) in response.content.decode()
    assert response.context["reply_form"].non_field_errors()
    assert not Reply.objects.exists()
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ASSIGNED
    assert Event.objects.count() == events_before


def test_unit_records_a_contact_then_replies_with_a_dated_commitment(client, login, flow, reply_classes):
    assignment = flow.assigned()
    login(client, flow.unit_officer)

    client.post(url("unit_contact", assignment), {
        "kind": "face_to_face", "contacted_on": datetime.date.today().isoformat(),
        "people": "林代表、李科长", "content": "现场查看",
    })
    assert Contact.objects.filter(assignment=assignment).count() == 1

    # Class B without a commitment is refused with its stable message.
    refused = client.post(url("unit_reply", assignment), reply_data(reply_classes, "B"))
    assert message(CommitmentRequired) in refused.content.decode()
    assert not Reply.objects.exists()

    response = client.post(url("unit_reply", assignment), reply_data(
        reply_classes, "B", commitment_1="年底前完成安装", commitment_1_due="2026-12-31",
    ))
    assert response.status_code == 302
    reply = Reply.objects.get(assignment=assignment)
    assert reply.reply_class.code == "B"
    assert list(reply.commitments.values_list("text", "due_on")) == [("年底前完成安装", datetime.date(2026, 12, 31))]
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.REPLIED
    assert "replied" in verbs(assignment)


def test_a_commitment_row_needs_both_text_and_date(client, login, flow, reply_classes):
    assignment = flow.assigned()
    flow.contact(assignment)
    response = login(client, flow.unit_officer).post(
        url("unit_reply", assignment), reply_data(reply_classes, "B", commitment_1="只写了内容")
    )
    assert response.status_code == 200
    assert response.context["reply_form"].errors["commitment_1_due"]
    assert not Reply.objects.exists()


def test_unit_requests_an_extension_within_the_cap(client, login, flow):
    assignment = flow.assigned()
    login(client, flow.unit_officer)

    beyond = client.post(url("unit_extension", assignment), {
        "requested_due": (assignment.max_due + datetime.timedelta(days=1)).isoformat(), "reason": "情况复杂",
    })
    assert message(ExtensionBeyondCap) in beyond.content.decode()
    assert not Extension.objects.exists()

    client.post(url("unit_extension", assignment), {"requested_due": assignment.max_due.isoformat(),
                                                    "reason": "情况复杂"})
    extension = Extension.objects.get(assignment=assignment)
    assert extension.state == Extension.State.REQUESTED and extension.requested_due == assignment.max_due


def test_co_handler_sends_its_opinion_and_the_lead_unit_reads_it(
    client, login, flow, education_bureau, education_officer
):
    lead = flow.assigned(co_units=[education_bureau])
    co = lead.proposal.assignments.get(role=Assignment.Role.CO)

    login(client, education_officer)
    assert client.get(url("unit_item", lead)).status_code == 404
    client.post(url("unit_co_opinion", co), {"text": "建议同步改造人行道"})
    co.refresh_from_db()
    assert co.state == Assignment.State.CLOSED

    response = login(client, flow.unit_officer).get(url("unit_item", lead))
    assert "建议同步改造人行道" in response.content.decode()


def test_unit_reports_a_commitment_fulfilled(client, login, flow):
    assignment = flow.replied(reply_class="B")
    commitment = Commitment.objects.get(reply__assignment=assignment)

    login(client, flow.unit_officer).post(url("unit_fulfil", assignment, commitment.pk), {"report": "已安装完成"})

    commitment.refresh_from_db()
    assert commitment.fulfilled_at is not None and commitment.report == "已安装完成"
    assert "commitment_fulfilled" in verbs(assignment)


def test_another_unit_cannot_report_a_commitment(client, login, flow, education_officer):
    assignment = flow.replied(reply_class="B")
    commitment = Commitment.objects.get(reply__assignment=assignment)
    response = login(client, education_officer).post(
        url("unit_fulfil", assignment, commitment.pk), {"report": "冒充"}
    )
    assert response.status_code == 404
    commitment.refresh_from_db()
    assert commitment.fulfilled_at is None


# ---- ratings ----------------------------------------------------------------------------------


def test_unit_sees_the_rating_only_after_the_deputy_submits_it(client, login, flow):
    assignment = flow.replied()
    login(client, flow.unit_officer)

    before = client.get(url("unit_item", assignment))
    assert before.context["ratings"] == []

    rating_submit(actor=flow.deputy_user, assignment=assignment, attitude="satisfied", result="basically_satisfied")

    after = client.get(url("unit_item", assignment))
    assert [r.pk for r in after.context["ratings"]] == [Rating.objects.get().pk]


def test_the_unit_sees_when_the_deputys_rating_is_due_and_why(client, login, flow):
    assignment = flow.replied()

    response = login(client, flow.unit_officer).get(url("unit_item", assignment))

    content = response.content.decode()
    assert assignment.rating_due.strftime("%Y-%m-%d") in content
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(deadline_basis(assignment.rating_due_basis)) in content
