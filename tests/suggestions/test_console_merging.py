"""Merged handling on the console: "merge with this" next to each similar proposal on the review
page, the group shown on every member's page with its timeline, unmerging, refusals as Chinese
messages, and the unit's page naming the proposals it handles together."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from congress.models import Event
from suggestions import services
from suggestions.models import Assignment, MergeGroup

pytestmark = pytest.mark.django_db

SIMILAR_TITLE = "关于在学校周边增设交通信号灯的建议"


def detail(proposal):
    return reverse("console:suggestions:proposal_detail", args=[proposal.pk])


@pytest.fixture
def under_review(flow):
    """An accepted proposal and a newly submitted one reading alike."""
    earlier = flow.accepted()
    return earlier, flow.submitted(title=SIMILAR_TITLE)


def test_review_page_offers_merge_with_each_similar_proposal(client, login, staff_admin, under_review):
    earlier, submitted = under_review

    response = login(client, staff_admin).get(detail(submitted))

    assert [other.pk for _score, other in response.context["similar"]] == [earlier.pk]
    content = response.content.decode()
    assert reverse("console:suggestions:proposal_merge", args=[submitted.pk]) in content
    assert f'name="with_proposal" value="{earlier.pk}"' in content


def test_merging_from_the_review_page_shows_the_group_and_the_timeline(client, login, staff_admin, under_review):
    earlier, submitted = under_review
    client = login(client, staff_admin)

    response = client.post(reverse("console:suggestions:proposal_merge", args=[submitted.pk]),
                           {"with_proposal": earlier.pk})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.merge_group.main == earlier
    page = client.get(detail(earlier))
    assert [other.pk for other in page.context["merged_with"]] == [submitted.pk]
    assert Event.objects.for_object(earlier).filter(verb="merged").exists()
    content = page.content.decode()
    assert 'id="merging"' in content and reverse("console:suggestions:proposal_unmerge", args=[earlier.pk]) in content


def test_a_refused_merge_is_a_chinese_message_and_changes_nothing(client, login, staff_admin, flow, under_review):
    earlier, submitted = under_review
    services.proposal_assign(actor=flow.staff, proposal=earlier, lead_unit=flow.unit)
    client = login(client, staff_admin)

    client.post(reverse("console:suggestions:proposal_merge", args=[submitted.pk]), {"with_proposal": earlier.pk})

    [message] = [str(message) for message in get_messages(client.get(detail(submitted)).wsgi_request)]
    assert earlier.number in message and "交办" in message
    assert not MergeGroup.objects.exists()


def test_unmerging_from_the_console(client, login, staff_admin, flow, under_review):
    earlier, submitted = under_review
    services.proposal_merge(actor=flow.staff, proposal=submitted, with_proposal=earlier)

    login(client, staff_admin).post(reverse("console:suggestions:proposal_unmerge", args=[earlier.pk]))

    assert not MergeGroup.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "unit_officer", "deputy_user"])
def test_merge_buttons_are_for_the_office_only(client, login, request, flow, under_review, persona):
    earlier, submitted = under_review
    client = login(client, request.getfixturevalue(persona))

    for name, data in (("proposal_merge", {"with_proposal": earlier.pk}), ("proposal_unmerge", {})):
        assert client.post(reverse(f"console:suggestions:{name}", args=[submitted.pk]), data).status_code == 403
    assert not MergeGroup.objects.exists()


def test_merge_buttons_refuse_get(client, login, staff_admin, under_review):
    earlier, submitted = under_review
    response = login(client, staff_admin).get(reverse("console:suggestions:proposal_merge", args=[submitted.pk]))
    assert response.status_code == 405


def test_the_unit_sees_the_proposals_it_handles_together(client, login, flow, unit_officer):
    first = flow.accepted()
    second = flow.accepted(title=SIMILAR_TITLE)
    services.proposal_merge(actor=flow.staff, proposal=second, with_proposal=first)
    services.proposal_assign(actor=flow.staff, proposal=first, lead_unit=flow.unit)
    assignment = Assignment.objects.get(proposal=first)

    response = login(client, unit_officer).get(reverse("console:suggestions:unit_item", args=[assignment.pk]))

    assert [other.pk for other in response.context["merged_with"]] == [second.pk]
    assert 'id="merged-with"' in response.content.decode()


def test_the_deputy_reads_on_the_timeline_that_the_proposal_is_handled_together(
    client, login, flow, deputy_user, under_review
):
    earlier, submitted = under_review
    services.proposal_merge(actor=flow.staff, proposal=submitted, with_proposal=earlier)

    response = login(client, deputy_user).get(reverse("portal:suggestions:detail", args=[submitted.pk]))

    merged = [item for item in response.context["timeline"] if item["event"].verb == "merged"]
    assert [str(item["label"]) for item in merged] == ["与相似建议并案办理"]
    assert merged[0]["note"] == ""  # the other proposal's number stays on the console
