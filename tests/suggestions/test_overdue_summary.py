"""The weekly overdue summary to the leaders: one notification per leader per ISO week counting the
overdue replies per unit, never twice (re-run, two beats at once), written whole after a run
killed halfway, and a query count that does not grow with the number of overdue items."""

import datetime
import types

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import Notification
from congress.models.accounts import Role
from congress.notifications import bulk
from suggestions import tasks
from suggestions.models import Assignment, Proposal
from suggestions.services import summaries
from tests.factories.congress import user_with_role

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 16)  # ISO week 2026-W12
KIND = summaries.KIND


@pytest.fixture
def overdue(district_body, term, deputy, session_1):
    """Make n answering assignments of `unit` whose reply was due last week."""

    def make(unit, n, *, reply_due=MONDAY - datetime.timedelta(days=3), state=Assignment.State.HANDLING):
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(body=district_body, term=term, session=session_1, lead_deputy=deputy, title=f"建议{i}",
                         content="内容", state=Proposal.State.HANDLING)
                for i in range(n)
            ]
        )
        return Assignment.objects.bulk_create(
            [
                Assignment(proposal=proposal, unit=unit, role=Assignment.Role.LEAD, state=state, reply_due=reply_due,
                           assigned_on=MONDAY - datetime.timedelta(days=100), objection_due=MONDAY,
                           max_due=MONDAY + datetime.timedelta(days=80))
                for proposal in proposals
            ]
        )

    return make


@pytest.fixture
def second_leader(district_body):
    return user_with_role(Role.LEADER, username="second_leader", body=district_body)


def summaries_of(user):
    return Notification.objects.filter(kind=KIND, recipient=user)


def test_each_leader_gets_one_summary_a_week_counting_overdue_replies_per_unit(
    overdue, leader, second_leader, staff_admin, health_bureau, education_bureau
):
    overdue(health_bureau, 2)
    overdue(education_bureau, 1)
    overdue(education_bureau, 4, reply_due=MONDAY + datetime.timedelta(days=3))  # not yet due
    overdue(education_bureau, 5, state=Assignment.State.REPLIED)  # answered

    summaries.overdue_summary_send(today=MONDAY)
    summaries.overdue_summary_send(today=MONDAY + datetime.timedelta(days=2))  # same ISO week

    for user in (leader, second_leader):
        [summary] = summaries_of(user)
        assert "2026-W12" in summary.title and "3" in summary.title
        assert summary.body.splitlines() == [f"{health_bureau.name}: 2 件逾期", f"{education_bureau.name}: 1 件逾期"]
        assert summary.url.endswith("/deadlines/")
    assert not Notification.objects.filter(kind=KIND, recipient=staff_admin).exists()


def test_next_week_brings_a_new_summary(overdue, leader, health_bureau):
    overdue(health_bureau, 1)
    summaries.overdue_summary_send(today=MONDAY)
    summaries.overdue_summary_send(today=MONDAY + datetime.timedelta(days=7))
    assert summaries_of(leader).count() == 2


def test_two_sweeps_at_once_write_one_summary(overdue, leader, health_bureau, monkeypatch):
    """The second beat read the inbox before the first committed: the unique key drops its row."""
    overdue(health_bureau, 1)
    summaries.overdue_summary_send(today=MONDAY)
    real = Notification
    stale = types.SimpleNamespace(
        objects=types.SimpleNamespace(filter=lambda **kwargs: real.objects.none(), bulk_create=real.objects.bulk_create)
    )
    monkeypatch.setattr(bulk, "Notification", lambda **kwargs: real(**kwargs))
    monkeypatch.setattr(bulk.Notification, "objects", stale.objects, raising=False)

    summaries.overdue_summary_send(today=MONDAY)

    assert summaries_of(leader).count() == 1


def test_a_run_killed_before_its_commit_is_written_whole_by_the_next_run(
    overdue, leader, second_leader, health_bureau, monkeypatch
):
    overdue(health_bureau, 1)

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(Notification.objects, "bulk_create", killed)
        with pytest.raises(SystemExit):
            summaries.overdue_summary_send(today=MONDAY)
    assert not Notification.objects.filter(kind=KIND).exists()

    summaries.overdue_summary_send(today=MONDAY)

    assert summaries_of(leader).count() == 1 and summaries_of(second_leader).count() == 1


def test_the_query_count_does_not_grow_with_the_number_of_overdue_items(
    overdue, leader, health_bureau, education_bureau
):
    overdue(health_bureau, 3)
    with CaptureQueriesContext(connection) as few:
        summaries.overdue_summary_send(today=MONDAY)

    overdue(health_bureau, 40)
    overdue(education_bureau, 40)
    with CaptureQueriesContext(connection) as many:
        summaries.overdue_summary_send(today=MONDAY + datetime.timedelta(days=7))

    assert len(many) == len(few) <= 6
    assert summaries_of(leader).count() == 2


def test_nothing_is_sent_when_nothing_is_overdue(leader):
    assert summaries.overdue_summary_send(today=MONDAY) == 0
    assert not Notification.objects.filter(kind=KIND).exists()


def test_the_weekly_task_is_scheduled_and_runs(overdue, leader, health_bureau):
    overdue(health_bureau, 1, reply_due=datetime.date.today() - datetime.timedelta(days=1))
    entry = settings.CELERY_BEAT_SCHEDULE["suggestions-summarise-overdue-for-leaders"]
    assert entry["task"] == "suggestions.tasks.summarise_overdue_for_leaders"
    assert entry["schedule"].day_of_week == {1}

    tasks.summarise_overdue_for_leaders.delay()
    tasks.summarise_overdue_for_leaders.delay()

    assert summaries_of(leader).count() == 1
