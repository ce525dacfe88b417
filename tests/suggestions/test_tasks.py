"""The reminder sweeps: exactly once when run twice, finished after an interruption, and a query
count that does not grow with the number of due items."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Notification
from suggestions import tasks
from suggestions.models import Assignment, Commitment, Proposal, ReminderLog, Reply
from suggestions.services import reminders

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)  # a Monday
Kind = ReminderLog.Kind


def _proposals(context, n, **fields):
    fields.setdefault("state", Proposal.State.HANDLING)
    fields.setdefault("session", context["session"])
    return Proposal.objects.bulk_create(
        [
            Proposal(body=context["body"], term=context["term"], lead_deputy=context["deputy"], title=f"建议{i}",
                     content="内容", **fields)
            for i in range(n)
        ]
    )


def _assignments(context, n, **fields):
    fields.setdefault("role", Assignment.Role.LEAD)
    fields.setdefault("state", Assignment.State.HANDLING)
    fields.setdefault("reply_due", TODAY + datetime.timedelta(days=40))
    fields.setdefault("objection_due", TODAY - datetime.timedelta(days=50))
    proposals = _proposals(context, n)
    return Assignment.objects.bulk_create(
        [
            Assignment(proposal=proposal, unit=context["unit"], assigned_on=TODAY - datetime.timedelta(days=60),
                       max_due=TODAY + datetime.timedelta(days=120), **fields)
            for proposal in proposals
        ]
    )


def _commitments(context, n):
    assignments = _assignments(context, n, state=Assignment.State.REPLIED)
    replies = Reply.objects.bulk_create(
        [
            Reply(assignment=a, round=1, text="答复", reply_class=context["reply_classes"]["B"], officer="李科长",
                  submitted_by=context["unit_officer"])
            for a in assignments
        ]
    )
    return Commitment.objects.bulk_create(
        [Commitment(reply=reply, text="年内完成", due_on=TODAY + datetime.timedelta(days=3)) for reply in replies]
    )


# kind → (make n due items, audience persona)
DUE = {
    Kind.INTAKE_DUE: (
        lambda c, n: _proposals(c, n, session=None, state=Proposal.State.ACCEPTED,
                                intake_due=TODAY + datetime.timedelta(days=1)),
        "staff_admin",
    ),
    Kind.OBJECTION_CLOSING: (
        lambda c, n: _assignments(c, n, state=Assignment.State.ASSIGNED, objection_due=TODAY), "unit_officer"
    ),
    Kind.CO_OPINION_DUE: (
        lambda c, n: _assignments(c, n, role=Assignment.Role.CO, reply_due=None,
                                  co_opinion_due=TODAY + datetime.timedelta(days=5)),
        "unit_officer",
    ),
    Kind.REPLY_DUE: (lambda c, n: _assignments(c, n, reply_due=TODAY + datetime.timedelta(days=10)), "unit_officer"),
    Kind.OVERDUE: (lambda c, n: _assignments(c, n, reply_due=TODAY - datetime.timedelta(days=1)), "unit_officer"),
    Kind.RATING_PENDING: (
        lambda c, n: _assignments(
            c, n, state=Assignment.State.REPLIED, rating_status=Assignment.RatingStatus.PENDING,
            replied_on=TODAY - datetime.timedelta(days=9), rating_due=TODAY + datetime.timedelta(days=10),
        ),
        "deputy_user",
    ),
    Kind.REHANDLING_DUE: (
        lambda c, n: _assignments(c, n, state=Assignment.State.EVALUATED, rehandling_order_due=TODAY),
        "staff_admin",
    ),
    Kind.COMMITMENT_DUE: (_commitments, "unit_officer"),
}


@pytest.fixture
def context(district_body, term, deputy, health_bureau, session_1, reply_classes, unit_officer, staff_admin):
    return {"body": district_body, "term": term, "deputy": deputy, "unit": health_bureau, "session": session_1,
            "reply_classes": reply_classes, "unit_officer": unit_officer}


def reminders_of(kind, user=None):
    notifications = Notification.objects.filter(kind=f"suggestions.reminder.{kind}")
    return notifications.filter(recipient=user) if user else notifications


@pytest.mark.parametrize("kind", list(DUE))
def test_each_sweep_sends_exactly_once_when_run_twice(kind, context, request):
    make, audience = DUE[kind]
    make(context, 3)
    recipient = request.getfixturevalue(audience)

    reminders.sweep(kind, today=TODAY)
    reminders.sweep(kind, today=TODAY)

    assert reminders_of(kind, recipient).count() == 3
    assert ReminderLog.objects.filter(kind=kind, sent_at__isnull=False).count() == 3
    assert not ReminderLog.objects.filter(kind=kind, sent_at__isnull=True).exists()


@pytest.mark.parametrize("kind", list(DUE))
def test_query_count_of_each_sweep_does_not_grow_with_the_due_items(kind, context):
    make, _audience = DUE[kind]

    make(context, 10)
    with CaptureQueriesContext(connection) as ten:
        reminders.sweep(kind, today=TODAY)
    make(context, 100)
    with CaptureQueriesContext(connection) as hundred:
        reminders.sweep(kind, today=TODAY)

    assert reminders_of(kind).count() >= 110
    # SQLite splits an insert of many rows under its bound-variable limit: at most a couple more.
    assert len(hundred) <= len(ten) + 2
    # A fixed cost: a few queries per batch, plus (rating reminders) one calendar lookup per day of
    # the 5- and 10-working-day look-back.
    assert len(ten) <= 40


def test_batches_cost_a_fixed_number_of_queries_each(context):
    make, _audience = DUE[Kind.REPLY_DUE]
    make(context, 50)
    with CaptureQueriesContext(connection) as batched:
        reminders.sweep(Kind.REPLY_DUE, today=TODAY, batch_size=10)
    # 5 batches to record and 5 to send: a fixed cost per batch, none per item.
    assert len(batched) <= 5 * 2 + 5 * 7 + 12
    assert reminders_of(Kind.REPLY_DUE).count() == 50


def test_a_sweep_killed_after_recording_is_finished_by_the_next_run(context, unit_officer):
    _assignments(context, 4, reply_due=TODAY - datetime.timedelta(days=2))
    reminders.record_due(Kind.OVERDUE, today=TODAY)  # …and the worker dies before sending
    assert not reminders_of(Kind.OVERDUE).exists()

    reminders.sweep(Kind.OVERDUE, today=TODAY)
    reminders.sweep(Kind.OVERDUE, today=TODAY)

    assert reminders_of(Kind.OVERDUE, unit_officer).count() == 4


def test_a_sweep_killed_halfway_through_sending_neither_repeats_nor_skips(context, unit_officer):
    _assignments(context, 10, reply_due=TODAY + datetime.timedelta(days=2))
    reminders.record_due(Kind.REPLY_DUE, today=TODAY)
    now = timezone.now()
    first_batch = reminders._claim(Kind.REPLY_DUE, batch_size=5, now=now)
    reminders.send_claimed(Kind.REPLY_DUE, first_batch, now=now)
    # The second batch was claimed, then the worker was killed before it wrote anything.
    stale = now - reminders.LEASE - datetime.timedelta(minutes=1)
    reminders._claim(Kind.REPLY_DUE, batch_size=5, now=stale)
    assert reminders_of(Kind.REPLY_DUE, unit_officer).count() == 5

    reminders.sweep(Kind.REPLY_DUE, today=TODAY)

    assert reminders_of(Kind.REPLY_DUE, unit_officer).count() == 10
    assert set(reminders_of(Kind.REPLY_DUE, unit_officer).values_list("dedupe_key", flat=True)) == {
        f"reminder:{pk}" for pk in ReminderLog.objects.filter(kind=Kind.REPLY_DUE).values_list("pk", flat=True)
    }


def test_a_row_claimed_by_a_live_sweep_is_not_sent_by_another(context, unit_officer):
    _assignments(context, 3, reply_due=TODAY + datetime.timedelta(days=2))
    reminders.record_due(Kind.REPLY_DUE, today=TODAY)
    live = reminders._claim(Kind.REPLY_DUE, batch_size=10, now=timezone.now())

    reminders.sweep(Kind.REPLY_DUE, today=TODAY)  # the second beat finds every row taken
    assert not reminders_of(Kind.REPLY_DUE).exists()

    reminders.send_claimed(Kind.REPLY_DUE, live, now=timezone.now())
    assert reminders_of(Kind.REPLY_DUE, unit_officer).count() == 3


def test_reply_due_reminders_fire_once_per_threshold(context, unit_officer):
    (assignment,) = _assignments(context, 1, reply_due=TODAY + datetime.timedelta(days=14))
    for offset in range(15):
        reminders.sweep(Kind.REPLY_DUE, today=TODAY + datetime.timedelta(days=offset))
    thresholds = sorted(ReminderLog.objects.filter(kind=Kind.REPLY_DUE, object_id=assignment.pk)
                        .values_list("threshold", flat=True))
    assert thresholds == sorted([f"14:{assignment.reply_due}", f"7:{assignment.reply_due}",
                                 f"3:{assignment.reply_due}"])
    assert reminders_of(Kind.REPLY_DUE, unit_officer).count() == 3


def test_overdue_reminders_repeat_daily(context, unit_officer, staff_admin):
    _assignments(context, 1, reply_due=TODAY - datetime.timedelta(days=1))
    reminders.sweep(Kind.OVERDUE, today=TODAY)
    reminders.sweep(Kind.OVERDUE, today=TODAY + datetime.timedelta(days=1))
    assert reminders_of(Kind.OVERDUE, unit_officer).count() == 2
    assert reminders_of(Kind.OVERDUE, staff_admin).count() == 2


def test_rating_reminders_at_five_and_ten_working_days(context, deputy_user):
    (assignment,) = _assignments(
        context, 1, state=Assignment.State.REPLIED, rating_status=Assignment.RatingStatus.PENDING,
        replied_on=datetime.date(2026, 3, 2), rating_due=datetime.date(2026, 3, 23),
    )
    for day in range(2, 24):
        reminders.sweep(Kind.RATING_PENDING, today=datetime.date(2026, 3, day))
    logs = dict(ReminderLog.objects.filter(object_id=assignment.pk).values_list("threshold", "created_at"))
    assert set(logs) == {"5:round-1", "10:round-1"}
    assert reminders_of(Kind.RATING_PENDING, deputy_user).count() == 2


def test_a_reminder_for_an_item_handled_since_it_was_recorded_is_not_sent(context):
    (assignment,) = _assignments(context, 1, reply_due=TODAY + datetime.timedelta(days=2))
    reminders.record_due(Kind.REPLY_DUE, today=TODAY)
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.REPLIED)
    reminders.sweep(Kind.REPLY_DUE, today=TODAY)
    assert not reminders_of(Kind.REPLY_DUE).exists()
    assert ReminderLog.objects.get().sent_at is not None


def test_tasks_run_the_sweeps(context, unit_officer, settings):
    _assignments(context, 2, reply_due=timezone.localdate() - datetime.timedelta(days=1))
    tasks.remind_overdue.delay()
    tasks.remind_overdue.delay()
    assert reminders_of(Kind.OVERDUE, unit_officer).count() == 2
    assert set(settings.CELERY_BEAT_SCHEDULE) >= {
        "suggestions-remind-overdue", "suggestions-close-after-evaluation-window"
    }
