"""Published replies on the public site: never a confidential proposal nor one without a reply,
searchable by year, unit and category, paginated in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from suggestions.models import Proposal
from tests.factories.suggestions import CategoryFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [proposal.title for proposal in response.context["page_obj"]]


def test_anonymous_visitors_read_published_replies_but_never_confidential_ones(client, flow):
    published = flow.replied(title="关于改善城区公交线路的建议")
    confidential = flow.replied(title="关于某涉密事项的建议", is_confidential=True)
    unreplied = flow.assigned(title="关于增加公园绿地的建议")

    response = client.get(reverse("public:suggestions:replies"))

    assert response.status_code == 200
    assert _titles(response) == ["关于改善城区公交线路的建议"]
    assert "关于某涉密事项的建议" not in response.content.decode()
    detail = client.get(reverse("public:suggestions:reply_detail", args=[published.proposal_id]))
    assert "经研究，已列入年度计划。" in detail.content.decode()
    for hidden in (confidential.proposal_id, unreplied.proposal_id):
        assert client.get(reverse("public:suggestions:reply_detail", args=[hidden])).status_code == 404


def test_replies_are_searchable_by_year_unit_and_category(client, flow, district_body, education_bureau):
    transport = CategoryFactory(body=district_body, name="城乡建设")
    health = flow.replied(title="关于社区卫生服务站延长服务时间的建议", category=transport)
    flow.unit = education_bureau
    flow.unit_officer = _officer_of(education_bureau)
    school = flow.replied(title="关于学校课后服务的建议")
    Proposal.objects.filter(pk=school.proposal_id).update(received_on=datetime.date(2025, 3, 1))
    url = reverse("public:suggestions:replies")

    assert _titles(client.get(url, {"unit": education_bureau.pk})) == [school.proposal.title]
    assert _titles(client.get(url, {"category": transport.pk})) == [health.proposal.title]
    assert _titles(client.get(url, {"year": 2025})) == [school.proposal.title]
    assert _titles(client.get(url, {"q": "课后"})) == [school.proposal.title]
    # A value that is not on offer is ignored rather than an error.
    assert len(_titles(client.get(url, {"unit": "x", "year": 1999}))) == 2


def _officer_of(unit):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    return user_with_role(Role.UNIT_OFFICER, username="school_officer", unit=unit)


def test_the_list_paginates_in_a_bounded_number_of_queries(client, district_body, term, django_assert_max_num_queries):
    category = CategoryFactory(body=district_body, name="教育")
    for number in range(25):
        ProposalFactory(
            body=district_body, term=term, state=Proposal.State.CLOSED, number=f"18-1-J-{number + 1:03d}",
            received_on=datetime.date(2026, 1, 10) + datetime.timedelta(days=number), category=category,
        )
    ProposalFactory(body=district_body, term=term, state=Proposal.State.CLOSED, is_confidential=True,
                    number="18-1-J-026", received_on=datetime.date(2026, 3, 1))
    url = reverse("public:suggestions:replies")

    with django_assert_max_num_queries(8):
        first = client.get(url)
    with django_assert_max_num_queries(8):
        second = client.get(url, {"page": 2})

    assert len(first.context["page_obj"]) == 20 and len(second.context["page_obj"]) == 5
    assert first.context["page_obj"].paginator.count == 25
    numbers = [p.number for p in first.context["page_obj"]] + [p.number for p in second.context["page_obj"]]
    assert "18-1-J-026" not in numbers and numbers[0] == "18-1-J-025"
