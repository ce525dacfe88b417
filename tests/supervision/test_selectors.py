"""The plan and topic pages' reads cost a bounded number of queries whatever the data."""

import datetime

import pytest

from supervision import selectors, services
from supervision.models import SupervisionActivity

pytestmark = pytest.mark.django_db


def _fill(topic, staff_clerk, deputy, town_a, count):
    for n in range(count):
        services.activity_record(actor=staff_clerk, topic=topic, kind=SupervisionActivity.Kind.RESEARCH,
                                 title=f"调研{n}", date=datetime.date(2027, 4, 1), place=town_a, deputies=[deputy])


def test_topic_detail_query_count_does_not_grow(topic, sent_opinion, staff_clerk, deputy, town_a,
                                                django_assert_max_num_queries):
    _fill(topic, staff_clerk, deputy, town_a, 2)
    with django_assert_max_num_queries(20) as captured:
        detail = selectors.topic_detail(staff_clerk, topic.pk)
        [list(activity.deputies.all()) for activity in detail.activities.all()]
        [list(opinion.recipients.all()) for opinion in detail.opinions.all()]
    few = len(captured.captured_queries)
    _fill(topic, staff_clerk, deputy, town_a, 8)
    with django_assert_max_num_queries(few) as captured:
        detail = selectors.topic_detail(staff_clerk, topic.pk)
        [list(activity.deputies.all()) for activity in detail.activities.all()]
        [list(opinion.recipients.all()) for opinion in detail.opinions.all()]


def test_plan_detail_lists_topics_and_versions_in_bounded_queries(plan, topic, staff_clerk, leader,
                                                                   django_assert_max_num_queries):
    services.plan_submit(actor=staff_clerk, plan=plan)
    services.plan_adopt(actor=leader, plan=plan)
    services.plan_publish(actor=staff_clerk, plan=plan)
    with django_assert_max_num_queries(8):
        detail = selectors.plan_detail(staff_clerk, plan.pk)
        rows = [(t.title, [u.name for u in t.supervised_units.all()], str(t.lead_committee))
                for t in detail.topics.all()]
        versions = list(detail.versions.all())
    assert rows[0][0] == topic.title and len(versions) == 1


def test_topic_lineage_lists_adopted_and_merged_proposals(plan, staff_clerk, district_body):
    from tests.factories.supervision import TopicProposalFactory

    primary, duplicate = TopicProposalFactory(body=district_body), TopicProposalFactory(body=district_body)
    services.proposal_merge(actor=staff_clerk, proposal=duplicate, into=primary)
    services.proposal_adopt(actor=staff_clerk, proposal=primary, plan=plan, kind="research")
    primary.refresh_from_db()

    assert {p.pk for p in selectors.topic_lineage(primary.adopted_topic)} == {primary.pk, duplicate.pk}
