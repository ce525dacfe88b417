"""The deputy's portal, after the reply: the proposal's page with deadlines and their basis, replies,
commitments and the timeline; the lead deputy's own rating (once, nobody else, 404 for others);
the single-use rating link from the reply notification; a face-to-face meeting request."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from congress.models import Event, Notification
from congress.models.accounts import Role
from congress.rules import Deadline
from suggestions import services
from suggestions.models import Assignment, Rating, RatingLink
from suggestions.services import reminders
from tests.factories.congress import user_with_role
from tests.factories.deputies import DeputyFactory

pytestmark = pytest.mark.django_db

SAT, BASIC, UNSAT = "satisfied", "basically_satisfied", "unsatisfied"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _rate_url(assignment):
    return reverse("portal:suggestions:rate", args=[assignment.proposal_id, assignment.pk])


def _replied_with_confirmed_co_signer(flow, co_deputy_user) -> Assignment:
    proposal = flow.filed()
    services.signer_confirm(actor=co_deputy_user, signer=proposal.signers.get(deputy__user=co_deputy_user))
    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    services.proposal_accept(actor=flow.staff, proposal=proposal)
    assignment = services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit)[0]
    return flow.replied(assignment=assignment)


@pytest.fixture
def other_deputy_user(district_body, term):
    user = user_with_role(Role.DEPUTY, username="other_deputy", body=district_body)
    DeputyFactory(body=district_body, term=term, user=user, name="许代表")
    return user


def test_proposal_page_shows_the_reply_commitment_deadlines_with_their_basis_and_the_timeline(
    client, login, flow
):
    assignment = flow.replied(reply_class="B")
    login(client, flow.deputy_user)

    response = client.get(reverse("portal:suggestions:detail", args=[assignment.proposal_id]))

    html = response.content.decode()
    assert "经研究，已列入年度计划。" in html
    assert "2026年底前完成信号灯安装" in html
    with translation.override("zh-hans"):
        reply_basis = Deadline(assignment.reply_due, assignment.reply_due_basis).describe()
        rating_basis = Deadline(assignment.rating_due, assignment.rating_due_basis).describe()
    assert escape(reply_basis) in html and escape(rating_basis) in html
    verbs = [item["event"].verb for item in response.context["timeline"]]
    assert verbs[:2] == ["filed", "submitted"] and "contact_recorded" in verbs and "replied" in verbs
    assert response.context["answering"][0]["can_rate"]
    assert _rate_url(assignment) in html


def test_lead_deputy_rates_attitude_and_result_and_a_second_rating_is_refused(client, login, flow):
    assignment = flow.replied()
    login(client, flow.deputy_user)
    assert "经研究，已列入年度计划。" in client.get(_rate_url(assignment)).content.decode()

    response = client.post(_rate_url(assignment), {"attitude": SAT, "result": BASIC})

    assert response.status_code == 302
    assert response.url == reverse("portal:suggestions:detail", args=[assignment.proposal_id])
    rating = Rating.objects.get()
    assert (rating.attitude, rating.result, rating.via, rating.rater) == (SAT, BASIC, "portal", flow.deputy_user)
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.EVALUATED

    again = client.post(_rate_url(assignment), {"attitude": UNSAT, "result": UNSAT, "reason": "改主意"})

    assert Rating.objects.count() == 1
    with translation.override("zh-hans"):
        refused = str(services.AlreadyRated.default_message)
    assert refused in _messages(again)
    assert not client.get(reverse("portal:suggestions:detail", args=[assignment.proposal_id])).context[
        "answering"][0]["can_rate"]


def test_unsatisfied_needs_a_reason_on_the_form(client, login, flow):
    assignment = flow.replied()
    login(client, flow.deputy_user)

    response = client.post(_rate_url(assignment), {"attitude": SAT, "result": UNSAT, "reason": " "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["co_deputy_user", "other_deputy_user"])
def test_nobody_but_the_lead_deputy_reaches_the_rating_form(client, login, flow, request, who):
    assignment = flow.replied()
    login(client, request.getfixturevalue(who))

    assert client.get(_rate_url(assignment)).status_code == 404
    assert client.post(_rate_url(assignment), {"attitude": SAT, "result": SAT}).status_code == 404
    assert not Rating.objects.exists()


def test_staff_and_units_are_kept_out_of_the_portal_rating(client, login, flow, staff_admin):
    assignment = flow.replied()
    for user in (staff_admin, flow.unit_officer):
        login(client, user)
        assert client.post(_rate_url(assignment), {"attitude": SAT, "result": SAT}).status_code == 403
    assert not Rating.objects.exists()


def test_the_reply_notification_carries_a_single_use_rating_link_for_the_lead_deputy(
    client, login, flow, co_deputy_user
):
    assignment = _replied_with_confirmed_co_signer(flow, co_deputy_user)
    lead_copy = Notification.objects.get(recipient=flow.deputy_user, kind="suggestions.replied")
    signer_copy = Notification.objects.get(recipient=co_deputy_user, kind="suggestions.replied")
    link_url = lead_copy.url
    assert link_url.startswith("/portal/suggestions/rate/")
    assert signer_copy.url == reverse("portal:suggestions:detail", args=[assignment.proposal_id])
    link = RatingLink.objects.get(assignment=assignment)
    assert link.digest not in link_url  # only the digest is stored, the token only travels

    assert client.get(link_url).status_code == 302  # anonymous: log in first
    login(client, co_deputy_user)
    assert client.get(link_url).status_code == 404  # someone else's link reads as nothing
    login(client, flow.deputy_user)
    assert client.get(link_url).status_code == 200

    response = client.post(link_url, {"attitude": BASIC, "result": UNSAT, "reason": "信号灯尚未安装"})

    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.via, rating.result, rating.rater) == ("link", UNSAT, flow.deputy_user)
    link.refresh_from_db()
    assert link.used_at is not None
    assert client.get(link_url).status_code == 410
    assert client.post(link_url, {"attitude": SAT, "result": SAT}).status_code == 410
    assert Rating.objects.count() == 1


def test_a_guessed_rating_link_is_a_404(client, login, flow):
    flow.replied()
    login(client, flow.deputy_user)

    assert client.get(reverse("portal:suggestions:rate_link", args=["not-a-token"])).status_code == 404


def test_the_rating_reminder_opens_the_rating_page(flow):
    assignment = flow.replied()
    later = assignment.replied_on + datetime.timedelta(days=9)  # at least 5 working days later

    reminders.sweep(reminders.Kind.RATING_PENDING, today=later)

    reminder = Notification.objects.get(recipient=flow.deputy_user, kind="suggestions.reminder.rating_pending")
    assert reminder.url == _rate_url(assignment)


def test_a_signer_asks_for_a_face_to_face_meeting_once_a_day(client, login, flow, co_deputy_user, staff_admin):
    proposal = _replied_with_confirmed_co_signer(flow, co_deputy_user).proposal
    login(client, co_deputy_user)
    url = reverse("portal:suggestions:meeting_request", args=[proposal.pk])

    client.post(url, {"note": "希望与卫健局当面沟通落实时间"})
    client.post(url, {"note": "再次申请"})

    events = Event.objects.for_object(proposal).filter(verb="meeting_requested")
    assert [(event.actor, event.note) for event in events] == [(co_deputy_user, "希望与卫健局当面沟通落实时间")]
    assert Notification.objects.filter(recipient=staff_admin, kind="suggestions.meeting_requested").count() == 1


def test_a_deputy_who_did_not_sign_cannot_ask_for_a_meeting(client, login, flow, other_deputy_user):
    assignment = flow.replied()
    login(client, other_deputy_user)

    response = client.post(reverse("portal:suggestions:meeting_request", args=[assignment.proposal_id]))

    assert response.status_code == 404
    assert not Event.objects.filter(verb="meeting_requested").exists()


def test_files_are_served_to_signers_only_and_always_as_downloads(client, login, flow, other_deputy_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    proposal = flow.filed(attachments=[upload])
    attachment = proposal.attachments.get()
    url = reverse("portal:suggestions:attachment", args=[attachment.pk])

    login(client, flow.deputy_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    login(client, other_deputy_user)
    assert client.get(url).status_code == 404
