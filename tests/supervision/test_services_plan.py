"""The annual plan: drafted, submitted, adopted by the leaders, published, adjusted with history;
topic milestones counted back from the meeting (Supervision Law art. 15)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.models import BodyRules, Event
from congress.workflow import TransitionForbidden
from supervision import services
from supervision.models import AnnualPlan, PlanVersion, TopicKind

pytestmark = pytest.mark.django_db


def test_milestones_fall_20_10_and_7_days_before_the_meeting_with_their_basis(topic):
    assert topic.meeting_date == datetime.date(2027, 6, 25)
    assert topic.report_to_committee_due == datetime.date(2027, 6, 5)
    assert topic.report_to_standing_committee_due == datetime.date(2027, 6, 15)
    assert topic.report_to_members_due == datetime.date(2027, 6, 18)
    basis = topic.milestones_basis["report_to_committee"]
    assert basis["rule"] == "report_to_committee_days" and basis["value"] == -20 and basis["start"] == "2027-06-25"


def test_rescheduling_recomputes_milestones_and_a_later_rule_change_moves_nothing(topic, staff_clerk, district_body):
    services.topic_schedule(actor=staff_clerk, topic=topic, meeting_date=datetime.date(2027, 8, 30))
    assert topic.report_to_members_due == datetime.date(2027, 8, 23)

    BodyRules.objects.filter(body=district_body).update(report_to_members_days=14)
    topic.refresh_from_db()
    assert topic.report_to_members_due == datetime.date(2027, 8, 23)
    assert Event.objects.for_object(topic).filter(verb="scheduled").exists()


def test_milestone_done_late_is_recorded_as_late(topic, staff_clerk):
    services.topic_milestone_done(actor=staff_clerk, topic=topic, milestone="report_to_committee",
                                  on=datetime.date(2027, 6, 8))

    event = Event.objects.for_object(topic).get(verb="milestone_done")
    assert event.data["late"] is True
    assert topic.report_to_committee_done == datetime.date(2027, 6, 8)


def _publish(plan, staff_clerk, leader):
    services.plan_submit(actor=staff_clerk, plan=plan)
    services.plan_adopt(actor=leader, plan=plan, on=datetime.date(2027, 1, 20))
    return services.plan_publish(actor=staff_clerk, plan=plan)


def test_only_a_leader_adopts_the_plan(plan, topic, staff_clerk, staff_admin):
    services.plan_submit(actor=staff_clerk, plan=plan)

    with pytest.raises(TransitionForbidden):
        services.plan_adopt(actor=staff_admin, plan=plan)
    assert AnnualPlan.objects.get(pk=plan.pk).state == AnnualPlan.State.SUBMITTED


def test_publication_history_keeps_every_version_with_the_adjustment_reason(plan, topic, staff_clerk, leader,
                                                                            health_bureau):
    _publish(plan, staff_clerk, leader)
    with pytest.raises(ValidationError):
        services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.RESEARCH, title="不能直接加")

    with pytest.raises(ValidationError):
        services.plan_adjust(actor=staff_clerk, plan=plan, reason="")
    services.plan_adjust(actor=staff_clerk, plan=plan, reason="根据区委要求增加营商环境调研")
    added = services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.RESEARCH, title="营商环境调研",
                                  supervised_units=[health_bureau])
    services.plan_publish(actor=staff_clerk, plan=plan)

    plan.refresh_from_db()
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert plan.published_version == 2 and plan.state == AnnualPlan.State.PUBLISHED
    assert versions[0].reason == "" and versions[1].reason == "根据区委要求增加营商环境调研"
    assert [t["id"] for t in versions[0].snapshot] == [topic.pk]
    assert {t["id"] for t in versions[1].snapshot} == {topic.pk, added.pk}
    verbs = list(Event.objects.for_object(plan).values_list("verb", flat=True))
    assert verbs.count("published") == 2 and "adjusting" in verbs


def test_a_plan_without_topics_cannot_be_submitted(plan, staff_clerk):
    with pytest.raises(ValidationError):
        services.plan_submit(actor=staff_clerk, plan=plan)
