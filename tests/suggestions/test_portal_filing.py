"""The deputy's portal, filing side: a joint suggestion with a file filed from the phone, co-signers
found by name and confirming from their own portal, a motion refused below the signer threshold,
similar proposals shown while typing, and the home card counting what waits for the deputy."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from congress.models import Event, Notification
from congress.models.accounts import Role
from suggestions import services
from suggestions.models import Attachment, Proposal, Signer
from tests.factories.congress import user_with_role
from tests.factories.deputies import DeputyFactory
from tests.factories.suggestions import ProposalFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned site photo\n"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _verbs(proposal) -> list[str]:
    return list(Event.objects.for_object(proposal).values_list("verb", flat=True))


def _file(client, deputy, **fields):
    data = {
        "mandate": deputy.pk, "kind": "suggestion", "title": "关于增设学校周边交通信号灯的建议",
        "content": "学校门口车流量大，建议增设信号灯。", **fields,
    }
    return client.post(reverse("portal:suggestions:file"), data)


def test_deputy_files_a_joint_suggestion_with_a_file_and_submits_it(
    client, login, deputy_user, deputy, co_deputy, co_deputy_user, session_1
):
    login(client, deputy_user)
    upload = SimpleUploadedFile("现场说明.pdf", PDF, content_type="application/pdf")

    response = _file(client, deputy, session=session_1.pk, co_signers=[co_deputy.pk], attachments=[upload],
                     submit="1")

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:suggestions:detail", args=[proposal.pk])
    assert (proposal.state, proposal.lead_deputy, proposal.session) == (Proposal.State.SUBMITTED, deputy, session_1)
    signers = {signer.deputy_id: signer for signer in Signer.objects.filter(proposal=proposal)}
    assert signers[deputy.pk].is_lead and signers[deputy.pk].confirmed_at is not None
    assert signers[co_deputy.pk].confirmed_at is None  # the co-signer confirms from their own portal
    attachment = Attachment.objects.get(proposal=proposal)
    assert (attachment.original_name, attachment.content_type) == ("现场说明.pdf", "application/pdf")
    assert _verbs(proposal) == ["attachment_added", "filed", "submitted"]
    assert Notification.objects.filter(recipient=co_deputy_user, kind="suggestions.signature_requested").exists()


def test_a_renamed_executable_is_refused_and_nothing_is_filed(client, login, deputy_user, deputy):
    login(client, deputy_user)
    fake = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = _file(client, deputy, attachments=[fake])

    assert response.status_code == 200
    assert "说明.pdf" in response.context["form"].errors["attachments"][0]
    assert not Proposal.objects.exists()
    assert not Attachment.objects.exists()


def test_co_signer_search_finds_deputies_of_the_same_congress_and_keeps_the_picked_ones(
    client, login, deputy_user, deputy, co_deputy, district_body, township_body_a, term
):
    picked = DeputyFactory(body=district_body, term=term, name="陈代表")
    DeputyFactory(body=township_body_a, name="郑街道代表")  # another congress: never offered
    login(client, deputy_user)

    response = client.get(
        reverse("portal:suggestions:cosigner_search"),
        {"mandate": deputy.pk, "q": "郑", "co_signers": [picked.pk]},
        headers={"HX-Request": "true"},
    )

    candidates = response.context["candidates"]
    assert [candidate.pk for candidate in candidates] == [picked.pk, co_deputy.pk]
    assert response.context["selected"] == {picked.pk}
    assert b"<html" not in response.content  # an htmx fragment
    assert f'value="{picked.pk}" id="co-signer-{picked.pk}" checked'.encode() in response.content


def test_similar_proposals_of_the_same_congress_are_offered_while_typing(
    client, login, deputy_user, deputy, district_body, term
):
    earlier = ProposalFactory(body=district_body, term=term, title="关于增设学校门口交通信号灯的建议",
                              state=Proposal.State.SUBMITTED)
    ProposalFactory(body=district_body, term=term, title="关于学校门口增设交通信号灯的建议（保密）",
                    state=Proposal.State.SUBMITTED, is_confidential=True)
    ProposalFactory(body=district_body, term=term, title="关于完善农村医保报销流程的建议",
                    state=Proposal.State.SUBMITTED)
    login(client, deputy_user)

    response = client.get(reverse("portal:suggestions:similar"),
                          {"mandate": deputy.pk, "title": "建议学校门口增设交通信号灯"})

    assert [proposal.pk for _score, proposal in response.context["similar"]] == [earlier.pk]
    assert earlier.title in response.content.decode()


def test_co_signer_confirms_from_their_own_portal(client, login, flow, co_deputy, co_deputy_user):
    proposal = flow.filed()
    login(client, co_deputy_user)

    listing = client.get(reverse("portal:suggestions:list"), {"tab": "to_sign"})
    assert [item.pk for item in listing.context["page_obj"]] == [proposal.pk]

    response = client.post(reverse("portal:suggestions:sign_confirm", args=[proposal.pk]))

    assert response.status_code == 302
    signer = Signer.objects.get(proposal=proposal, deputy=co_deputy)
    assert signer.confirmed_at is not None
    assert _verbs(proposal)[-1] == "signature_confirmed"
    assert not client.get(reverse("portal:suggestions:list"), {"tab": "to_sign"}).context["page_obj"].object_list


def test_co_signer_declines_a_draft(client, login, flow, co_deputy, co_deputy_user):
    proposal = flow.filed()
    login(client, co_deputy_user)

    client.post(reverse("portal:suggestions:sign_decline", args=[proposal.pk]))

    signer = Signer.objects.get(proposal=proposal, deputy=co_deputy)
    assert signer.declined_at is not None and signer.confirmed_at is None


def test_a_deputy_who_was_not_asked_cannot_sign_or_see_the_proposal(client, login, flow, district_body, term):
    proposal = flow.filed()
    stranger = user_with_role(Role.DEPUTY, username="stranger", body=district_body)
    DeputyFactory(body=district_body, term=term, user=stranger)
    login(client, stranger)

    assert client.get(reverse("portal:suggestions:detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("portal:suggestions:sign_confirm", args=[proposal.pk])).status_code == 404
    assert not Signer.objects.filter(proposal=proposal, deputy__user=stranger).exists()


def test_a_motion_below_the_signer_threshold_is_not_submitted_and_says_why(
    client, login, deputy_user, deputy, co_deputy, session_1
):
    login(client, deputy_user)

    response = _file(client, deputy, kind="motion", session=session_1.pk, co_signers=[co_deputy.pk], submit="1")

    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.DRAFT  # filed, but not submitted
    with translation.override("zh-hans"):
        reason = translation.gettext("A motion needs at least %(needed)s confirmed signers; it has %(count)s.") % {
            "needed": 10, "count": 1,
        }
    assert any(reason in message for message in _messages(response))
    detail = client.get(response.url)
    assert detail.context["can_submit"]
    # Submitting again from the proposal's page is refused the same way until signers confirm.
    again = client.post(reverse("portal:suggestions:submit", args=[proposal.pk]))
    assert any(reason in message for message in _messages(again))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DRAFT


def test_a_motion_with_enough_confirmed_signers_is_submitted(client, login, flow, district_body, term):
    co_signers = [DeputyFactory(body=district_body, term=term) for _ in range(9)]
    proposal = flow.filed(kind="motion", co_signers=co_signers)
    Signer.objects.filter(proposal=proposal).update(confirmed_at=proposal.created_at)
    login(client, flow.deputy_user)

    client.post(reverse("portal:suggestions:submit", args=[proposal.pk]))

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SUBMITTED


def _home_counts(client) -> dict[str, int]:
    html = client.get(reverse("portal:home")).content.decode()
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_home_card_counts_drafts_signature_requests_and_replies_to_rate(client, login, flow, co_deputy_user):
    draft = flow.filed()  # a draft of the lead deputy, co-signature asked of the co-deputy
    flow.replied()  # past signing (the co-signer never answered), replied and waiting for a rating
    login(client, flow.deputy_user)

    assert _home_counts(client) == {"drafts": 1, "to_sign": 0, "to_rate": 1}
    login(client, co_deputy_user)
    assert _home_counts(client) == {"drafts": 0, "to_sign": 1, "to_rate": 0}
    services.signer_confirm(actor=co_deputy_user, signer=Signer.objects.get(proposal=draft,
                                                                             deputy__user=co_deputy_user))
    assert _home_counts(client)["to_sign"] == 0


def test_my_list_shows_only_my_proposals_in_a_bounded_number_of_queries(
    client, login, flow, district_body, term, django_assert_max_num_queries
):
    for _ in range(3):
        flow.filed()
    ProposalFactory(body=district_body, term=term, state=Proposal.State.SUBMITTED)  # someone else's
    login(client, flow.deputy_user)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("portal:suggestions:list"))

    assert len(response.context["page_obj"].object_list) == 3
