"""The supervision API for township systems: published topics in the office's scope, and the
topic proposals it collects (create with Idempotency-Key, list its own)."""

import datetime

import pytest
from django.utils import timezone

from supervision import services
from supervision.models import TopicKind, TopicProposal
from tests.factories.supervision import AnnualPlanFactory, SolicitationWindowFactory

pytestmark = pytest.mark.django_db
TOPICS = "/api/v1/supervision/topics/"
PROPOSALS = "/api/v1/supervision/topic-proposals/"


def _published_topic(body, staff, leader, title, year=2027):
    plan = AnnualPlanFactory(body=body, year=year)
    topic = services.topic_create(actor=staff, plan=plan, kind=TopicKind.INSPECTION, title=title,
                                  meeting_date=datetime.date(year, 6, 1))
    services.plan_submit(actor=staff, plan=plan)
    services.plan_adopt(actor=leader, plan=plan)
    services.plan_publish(actor=staff, plan=plan)
    return topic


@pytest.fixture
def open_window(district_body):
    today = timezone.localdate()
    return SolicitationWindowFactory(body=district_body, year=today.year + 1,
                                     opens_on=today - datetime.timedelta(days=1),
                                     closes_on=today + datetime.timedelta(days=30))


def test_a_township_reads_the_published_topics_above_it_but_not_drafts_or_other_towns(
    api_client_for, township_officer_a, district_body, township_body_b, staff_clerk, leader, topic
):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    published = _published_topic(district_body, staff_clerk, leader, "区级执法检查", year=2026)
    town_b_staff = user_with_role(Role.STAFF_ADMIN, username="town_b_staff", body=township_body_b)
    town_b_leader = user_with_role(Role.LEADER, username="town_b_leader", body=township_body_b)
    town_b_topic = _published_topic(township_body_b, town_b_staff, town_b_leader, "祥平街道议题")
    client = api_client_for(township_officer_a)
    response = client.get(TOPICS)
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["results"]}
    assert titles == {"区级执法检查"}  # `topic` is in a draft plan
    detail = client.get(f"{TOPICS}{published.pk}/").json()
    assert [row["name"] for row in detail["milestones"]][0] == "report_to_committee"
    assert client.get(f"{TOPICS}{town_b_topic.pk}/").status_code == 404
    assert client.get(f"{TOPICS}{topic.pk}/").status_code == 404


def test_anonymous_callers_are_refused(client):
    assert client.get(TOPICS).status_code == 401


def test_a_township_sends_a_proposal_once_per_idempotency_key(
    api_client_for, township_officer_a, district_body, town_a, open_window
):
    client = api_client_for(township_officer_a)
    payload = {"body": district_body.pk, "region": town_a.pk, "title": "背街小巷整治", "necessity": "居民多次反映。",
               "phone": "13800138000"}
    first = client.post(PROPOSALS, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(PROPOSALS, payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    proposal = TopicProposal.objects.get()
    assert (proposal.source_region, proposal.channel) == (town_a, TopicProposal.Channel.PUBLIC)
    assert "phone" not in first.json() and "13800138000" not in first.content.decode()


def test_a_township_cannot_send_for_another_town_and_lists_only_its_own(
    api_client_for, township_officer_a, township_officer_b, district_body, town_a, town_b, open_window
):
    client_a, client_b = api_client_for(township_officer_a), api_client_for(township_officer_b)
    refused = client_a.post(PROPOSALS, {"body": district_body.pk, "region": town_b.pk, "title": "题目",
                                        "necessity": "理由"}, format="json")
    assert refused.status_code == 403
    client_a.post(PROPOSALS, {"body": district_body.pk, "region": town_a.pk, "title": "A的题目", "necessity": "理由"},
                  format="json")
    client_b.post(PROPOSALS, {"body": district_body.pk, "region": town_b.pk, "title": "B的题目", "necessity": "理由"},
                  format="json")
    assert [row["title"] for row in client_a.get(PROPOSALS).json()["results"]] == ["A的题目"]


def test_proposals_are_refused_outside_the_solicitation(api_client_for, township_officer_a, district_body, town_a):
    response = api_client_for(township_officer_a).post(
        PROPOSALS, {"body": district_body.pk, "region": town_a.pk, "title": "题目", "necessity": "理由"}, format="json"
    )
    assert response.status_code == 400
    assert not TopicProposal.objects.exists()
