"""Printable supervision documents: the opinion letter (审议意见书) and the vote-result notice
(满意度测评结果通知) are PDFs in the built-in Chinese font, offered on the topic page to the office
and the leaders, refused to a deputy and to a member, and printing changes nothing."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from congress.models import Event
from supervision import documents, services
from supervision.models import Choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_vote(reported_opinion, staff_clerk, committee_members):
    vote, tokens = services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                                      opinion=reported_opinion)
    for member, choice in zip(committee_members, [Choice.SATISFIED, Choice.SATISFIED, Choice.BASICALLY,
                                                  Choice.UNSATISFIED], strict=False):
        services.ballot_cast_by_token(token=tokens[member.pk], choice=choice)
    return services.vote_close(actor=staff_clerk, vote=vote)


def _is_chinese_pdf(content: bytes) -> bool:
    return content.startswith(b"%PDF-") and b"/STSong-Light" in content and content.rstrip().endswith(b"%%EOF")


def test_staff_download_the_opinion_letter_as_pdf_from_the_topic_page(client, login, sent_opinion, staff_clerk):
    login(client, staff_clerk)
    url = reverse("console:supervision:opinion_pdf", args=[sent_opinion.pk])
    assert url in client.get(reverse("console:supervision:topic_detail", args=[sent_opinion.topic_id])).content.decode()
    events_before = Event.objects.count()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert _is_chinese_pdf(response.content)
    assert Event.objects.count() == events_before


def test_a_leader_downloads_the_result_notice_of_a_closed_vote(client, login, failed_vote, leader):
    login(client, leader)
    response = client.get(reverse("console:supervision:vote_notice_pdf", args=[failed_vote.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _is_chinese_pdf(response.content)
    assert f"satisfaction-vote-result-{failed_vote.pk}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["deputy_user", "member"])
def test_a_deputy_or_a_member_cannot_print_the_documents(client, login, failed_vote, persona, request):
    login(client, request.getfixturevalue(persona))
    for url in (reverse("console:supervision:opinion_pdf", args=[failed_vote.opinion_id]),
                reverse("console:supervision:vote_notice_pdf", args=[failed_vote.pk])):
        assert client.get(url).status_code == 403


def test_an_open_vote_has_no_result_notice_and_a_draft_opinion_no_letter(
    client, login, reported_opinion, staff_clerk, committee_members, topic, health_bureau
):
    vote, _tokens = services.vote_open(actor=staff_clerk, topic=topic, subject="implementation",
                                       opinion=reported_opinion)
    draft = services.opinion_draft(actor=staff_clerk, topic=topic, title="草稿", text="草稿", units=[health_bureau])
    login(client, staff_clerk)
    assert client.get(reverse("console:supervision:vote_notice_pdf", args=[vote.pk])).status_code == 404
    assert client.get(reverse("console:supervision:opinion_pdf", args=[draft.pk])).status_code == 404


def test_the_notice_states_the_counts_the_rule_the_outcome_and_the_new_due_date(failed_vote, monkeypatch):
    vote = type(failed_vote).objects.select_related("topic__plan__body", "opinion").get(pk=failed_vote.pk)
    written = []
    original = documents.text
    monkeypatch.setattr(documents, "text", lambda value, style: written.append(str(value)) or original(value, style))

    documents.vote_notice_pdf(vote)

    lines = "\n".join(written).splitlines()
    # 5 members, 4 ballots: 2 satisfied, 1 basically satisfied, 1 unsatisfied; 2 is not more than 5/2.
    assert [lines[lines.index(str(label)) + 1] for label in Choice.labels] == ["2", "1", "1"]
    assert lines[lines.index(gettext("Members of the standing committee")) + 1] == "5"
    assert vote.passed is False
    due = min(recipient.due_on for recipient in vote.opinion.recipients.all())
    assert any(due.isoformat() in line for line in lines)

