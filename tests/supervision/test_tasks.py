"""Reminder sweeps: sent once under re-runs, overdue escalates to the office, costs bounded."""

import datetime

import pytest

from congress.models import Notification
from supervision import tasks
from supervision.services import reminders

pytestmark = pytest.mark.django_db


def test_every_supervision_sweep_is_on_the_beat(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    sweeps = {f"supervision.tasks.{name}" for name in dir(tasks) if name.startswith("remind_")}
    assert len(sweeps) == 5 and sweeps <= scheduled


def test_milestone_reminder_is_sent_once_under_reruns(topic, staff_clerk, unit_officer):
    day = datetime.date(2027, 6, 3)  # the committee report is due on 6-05
    first = reminders.remind_milestones(today=day)
    again = reminders.remind_milestones(today=day)

    assert first == 2 and again == 0  # the clerk and the unit officer
    assert Notification.objects.filter(kind="supervision.milestone", recipient=unit_officer).count() == 1


def test_a_done_milestone_is_not_reminded(topic, staff_clerk):
    from supervision import services

    services.topic_milestone_done(actor=staff_clerk, topic=topic, milestone="report_to_committee",
                                  on=datetime.date(2027, 6, 1))
    assert reminders.remind_milestones(today=datetime.date(2027, 6, 3)) == 0


def test_implementation_report_due_then_overdue_each_once(sent_opinion, unit_officer, staff_clerk):
    due_soon = reminders.remind_implementation_reports(today=datetime.date(2027, 9, 25))
    assert due_soon == 1 and reminders.remind_implementation_reports(today=datetime.date(2027, 9, 26)) == 0

    overdue = reminders.remind_implementation_reports(today=datetime.date(2027, 10, 5))
    assert overdue == 2  # the unit and the office
    assert reminders.remind_implementation_reports(today=datetime.date(2027, 10, 6)) == 0
    assert Notification.objects.get(recipient=staff_clerk, kind="supervision.implementation_report").is_urgent


def test_reported_units_are_not_reminded(reported_opinion, unit_officer):
    assert reminders.remind_implementation_reports(today=datetime.date(2027, 10, 5)) == 0


def test_sweep_cost_does_not_grow_with_the_number_of_items(plan, staff_clerk, health_bureau, meeting,
                                                           django_assert_max_num_queries):
    from supervision import services

    for n in range(12):
        services.topic_create(actor=staff_clerk, plan=plan, kind="research", title=f"议题{n}",
                              supervised_units=[health_bureau], meeting=meeting)
    with django_assert_max_num_queries(40):
        reminders.remind_milestones(today=datetime.date(2027, 6, 20))
