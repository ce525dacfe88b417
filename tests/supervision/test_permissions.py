"""Who sees which topics and ledger items; who may act."""

import datetime

import pytest

from congress.models.accounts import Role
from congress.workflow import TransitionForbidden
from supervision import permissions, services
from supervision.models import RectificationItem, TopicKind
from tests.factories.congress import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_unit_topic(plan, staff_clerk, district):
    other = UnitFactory(region=district, name="同安区教育局")
    return other, services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.INSPECTION, title="教育视察",
                                        supervised_units=[other])


def test_unit_sees_only_its_own_topics(topic, other_unit_topic, unit_officer, staff_clerk, member, auditor):
    _other, other_topic = other_unit_topic
    assert list(permissions.visible_topics(unit_officer)) == [topic]
    for reader in (staff_clerk, member, auditor):
        assert set(permissions.visible_topics(reader)) == {topic, other_topic}


def test_unit_sees_only_its_own_ledger_items(reported_opinion, staff_clerk, other_unit_topic, unit_officer,
                                             health_bureau):
    other, _topic = other_unit_topic
    mine = RectificationItem.objects.create(opinion=reported_opinion, round=1, item="我的", owner_unit=health_bureau,
                                            due_on=datetime.date(2027, 9, 1))
    RectificationItem.objects.create(opinion=reported_opinion, round=1, item="别人的", owner_unit=other,
                                     due_on=datetime.date(2027, 9, 1))

    assert list(permissions.visible_ledger(unit_officer)) == [mine]
    assert permissions.visible_ledger(staff_clerk).count() == 2


def test_unit_cannot_update_another_units_ledger_item(reported_opinion, other_unit_topic, unit_officer):
    other, _topic = other_unit_topic
    item = RectificationItem.objects.create(opinion=reported_opinion, round=1, item="别人的", owner_unit=other,
                                            due_on=datetime.date(2027, 9, 1))
    with pytest.raises(TransitionForbidden):
        services.rectification_item_update(actor=unit_officer, item=item, status=RectificationItem.Status.DONE)


def test_draft_topics_are_hidden_from_township_offices_and_the_public_until_published(
    topic, plan, staff_clerk, leader, township_officer_a, deputy_user
):
    from django.contrib.auth.models import AnonymousUser

    for outsider in (township_officer_a, deputy_user, AnonymousUser()):
        assert not permissions.visible_topics(outsider).exists()
    services.plan_submit(actor=staff_clerk, plan=plan)
    services.plan_adopt(actor=leader, plan=plan)
    services.plan_publish(actor=staff_clerk, plan=plan)
    for outsider in (township_officer_a, deputy_user, AnonymousUser()):
        assert list(permissions.visible_topics(outsider)) == [topic]


def test_a_unit_does_not_see_an_opinion_before_it_is_sent(topic, staff_clerk, leader, unit_officer, health_bureau):
    opinion = services.opinion_draft(actor=staff_clerk, topic=topic, title="意见", text="内容", units=[health_bureau])
    assert not permissions.visible_opinions(unit_officer).exists()
    services.opinion_approve(actor=leader, opinion=opinion)
    services.opinion_send(actor=staff_clerk, opinion=opinion)
    assert list(permissions.visible_opinions(unit_officer)) == [opinion]


@pytest.mark.parametrize(
    ("persona", "can_vote", "can_adopt", "can_work"),
    [
        ("staff_clerk", False, False, True),
        ("staff_admin", False, False, True),
        ("leader", True, True, False),
        ("member", True, False, False),
        ("deputy_user", False, False, False),
        ("unit_officer", False, False, False),
        ("township_officer_a", False, False, False),
        ("auditor", False, False, False),
    ],
)
def test_role_matrix(request, topic, plan, persona, can_vote, can_adopt, can_work):
    user = request.getfixturevalue(persona)
    from supervision.models import SatisfactionVote

    vote = SatisfactionVote(topic=topic)
    assert permissions.can_vote(user, vote) is can_vote
    assert permissions.can_adopt_plan(user, plan) is can_adopt
    assert permissions.can_work_topic(user, topic) is can_work


def test_a_leader_of_another_congress_cannot_adopt(plan, township_body_a):
    stranger = user_with_role(Role.LEADER, username="town_leader", body=township_body_a)
    assert not permissions.can_adopt_plan(stranger, plan)


def test_a_township_office_reads_the_published_topics_of_the_district_not_of_another_town(
    topic, plan, staff_clerk, leader, township_officer_a, township_body_b
):
    from tests.factories.supervision import AnnualPlanFactory, TopicFactory

    other_town_plan = AnnualPlanFactory(body=township_body_b, year=2027, state="published")
    TopicFactory(plan=other_town_plan, title="祥平街道的议题")
    services.plan_submit(actor=staff_clerk, plan=plan)
    services.plan_adopt(actor=leader, plan=plan)
    services.plan_publish(actor=staff_clerk, plan=plan)

    assert list(permissions.visible_topics(township_officer_a)) == [topic]
