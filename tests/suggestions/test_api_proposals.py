"""The read-only `suggestions` API: township scope (their town's deputies' proposals, anything
else a 404), confidential content hidden from readers outside the proposal, filters and
`updated_since`, bounded queries, nothing writable."""

import datetime

import pytest
from django.utils import timezone

from suggestions.models import Proposal
from tests.factories.deputies import ConstituencyFactory, DeputyFactory
from tests.factories.suggestions import ProposalFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/suggestions/"


def _detail(pk):
    return f"/api/v1/suggestions/{pk}/"


@pytest.fixture
def town_proposals(district_body, term, town_a, town_b):
    """A submitted proposal of a district deputy elected in each town."""
    proposals = {}
    for number, (key, town) in enumerate((("a", town_a), ("b", town_b)), start=1):
        constituency = ConstituencyFactory(body=district_body, term=term, number=number, region=town)
        deputy = DeputyFactory(body=district_body, term=term, constituency=constituency)
        proposals[key] = ProposalFactory(
            body=district_body, term=term, lead_deputy=deputy, state=Proposal.State.SUBMITTED,
            title=f"{town.name}代表的建议",
        )
    return proposals


def test_a_township_token_reads_its_towns_deputies_proposals_only(
    api_client_for, township_officer_a, town_proposals
):
    client = api_client_for(township_officer_a)

    listing = client.get(LIST)

    assert listing.status_code == 200
    assert [item["id"] for item in listing.json()["results"]] == [town_proposals["a"].pk]
    assert listing.json()["count"] == 1
    assert client.get(_detail(town_proposals["a"].pk)).status_code == 200
    other = client.get(_detail(town_proposals["b"].pk))
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"
    # A filter naming the other town's deputy finds nothing rather than saying it exists.
    assert client.get(LIST, {"lead_deputy": town_proposals["b"].lead_deputy_id}).json()["count"] == 0


def test_drafts_are_never_listed_to_a_township(api_client_for, township_officer_a, town_proposals):
    Proposal.objects.filter(pk=town_proposals["a"].pk).update(state=Proposal.State.DRAFT)

    client = api_client_for(township_officer_a)

    assert client.get(LIST).json()["count"] == 0
    assert client.get(_detail(town_proposals["a"].pk)).status_code == 404


def test_confidential_content_is_hidden_from_the_township_but_not_from_staff(
    api_client_for, township_officer_a, staff_admin, town_proposals
):
    proposal = town_proposals["a"]
    Proposal.objects.filter(pk=proposal.pk).update(is_confidential=True, keywords="涉密")

    township = api_client_for(township_officer_a).get(_detail(proposal.pk)).json()
    staff = api_client_for(staff_admin).get(_detail(proposal.pk)).json()

    assert township["content_hidden"] is True
    assert (township["content"], township["keywords"], township["attachments"]) == ("", "", [])
    assert township["title"] == proposal.title  # that it exists, and what it is about, stays visible
    assert staff["content_hidden"] is False and staff["content"] == proposal.content
    listed = api_client_for(township_officer_a).get(LIST).json()["results"][0]
    assert listed["content"] == "" and listed["content_hidden"] is True


def test_replies_and_deadline_basis_are_in_the_detail(api_client_for, staff_admin, flow):
    assignment = flow.replied(reply_class="B")

    data = api_client_for(staff_admin).get(_detail(assignment.proposal_id)).json()

    unit = data["assignments"][0]
    assert unit["unit"] == flow.unit.pk and unit["reply_due"] == assignment.reply_due.isoformat()
    assert unit["reply_due_basis"]
    assert unit["replies"][0]["reply_class"] == "B"
    assert unit["replies"][0]["commitments"][0]["due_on"] == "2026-12-31"
    assert data["outcome"] == "B"


def test_updated_since_and_filters(api_client_for, staff_admin, town_proposals):
    old = town_proposals["b"]
    Proposal.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    client = api_client_for(staff_admin)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    assert [item["id"] for item in client.get(LIST, {"updated_since": since}).json()["results"]] == [
        town_proposals["a"].pk
    ]
    assert client.get(LIST, {"state": "submitted", "kind": "motion"}).json()["count"] == 0
    assert client.get(LIST, {"updated_since": "yesterday"}).status_code == 400


def test_the_api_is_read_only_and_closed_to_anonymous_callers(api_client_for, staff_admin, town_proposals):
    from rest_framework.test import APIClient

    assert APIClient().get(LIST).status_code == 401
    client = api_client_for(staff_admin)
    pk = town_proposals["a"].pk
    assert client.post(LIST, {"title": "x"}, format="json").status_code == 405
    assert client.patch(_detail(pk), {"state": "closed"}, format="json").status_code == 405
    assert Proposal.objects.get(pk=pk).state == Proposal.State.SUBMITTED


def test_the_list_costs_a_bounded_number_of_queries(
    api_client_for, staff_admin, district_body, term, django_assert_max_num_queries
):
    for _ in range(12):
        ProposalFactory(body=district_body, term=term, state=Proposal.State.SUBMITTED, is_confidential=True)
    client = api_client_for(staff_admin)

    with django_assert_max_num_queries(10):
        response = client.get(LIST)

    assert response.json()["count"] == 12
