"""The reminder sweeps: each reminder exactly once (run twice, two beats at once, a run killed in its
middle batch), once per threshold or per overdue day, out with the daily digest, and a query count
that grows with the number of batches only."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Delivery, Notification
from congress.notifications import digest
from suggestions import tasks
from suggestions.models import Assignment, Commitment, Proposal, Reply
from suggestions.services import reminders
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)  # a Monday
Kind = reminders.Kind


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


@pytest.fixture
def due(context, request):
    """Make n items due a reminder of `kind`; returns the person (persona) they remind."""

    def make(kind, n):
        make_items, audience = DUE[kind]
        make_items(context, n)
        return request.getfixturevalue(audience)

    return make


def reminders_of(kind, user=None):
    notifications = Notification.objects.filter(kind=f"suggestions.reminder.{kind}")
    return notifications.filter(recipient=user) if user else notifications


def keys_of(kind, user):
    return sorted(reminders_of(kind, user).values_list("dedupe_key", flat=True))


class WorkerKilled(BaseException):
    """Raised where a worker would die: not an Exception, so nothing on the way catches it."""


@pytest.mark.parametrize("kind", list(DUE))
def test_each_sweep_sends_exactly_once_when_run_twice(kind, due):
    recipient = due(kind, 3)

    first = reminders.sweep(kind, today=TODAY)
    again = reminders.sweep(kind, today=TODAY)

    assert reminders_of(kind, recipient).count() == 3
    assert len(set(keys_of(kind, recipient))) == 3
    assert (first["candidates"], again["candidates"], again["notifications"]) == (3, 3, 0)


@pytest.mark.parametrize("kind", list(DUE))
def test_each_sweep_sends_once_when_a_second_beat_read_the_inbox_before_the_first_committed(kind, due, monkeypatch):
    recipient = due(kind, 3)
    reminders.sweep(kind, today=TODAY)

    # The twin beat found none of the keys written: the inbox's unique key drops its rows.
    monkeypatch.setattr(Notification.objects, "filter", lambda *args, **kwargs: Notification.objects.none())
    reminders.sweep(kind, today=TODAY)
    monkeypatch.undo()

    assert reminders_of(kind, recipient).count() == 3


@pytest.mark.parametrize("kind", list(DUE))
def test_each_sweep_killed_in_its_middle_batch_is_finished_by_the_next_run_without_doubles(
    kind, due, monkeypatch
):
    recipient = due(kind, 6)
    real_insert, inserts = Notification.objects.bulk_create, []

    def killed_in_the_second_batch(rows, **kwargs):
        inserts.append(real_insert(rows, **kwargs))
        if len(inserts) == 2:
            raise WorkerKilled  # after the insert, before the batch's commit

    with monkeypatch.context() as patch:
        patch.setattr(Notification.objects, "bulk_create", killed_in_the_second_batch)
        with pytest.raises(WorkerKilled):
            reminders.sweep(kind, today=TODAY, batch_size=2)
    assert reminders_of(kind, recipient).count() == 2  # the first batch only

    reminders.sweep(kind, today=TODAY, batch_size=2)
    reminders.sweep(kind, today=TODAY, batch_size=2)

    assert reminders_of(kind, recipient).count() == 6
    assert len(set(keys_of(kind, recipient))) == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two live transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", list(DUE))
def test_each_sweep_run_by_two_beats_at_once_sends_once(kind, due):
    recipient = due(kind, 40)

    results = at_once(*[lambda: reminders.sweep(kind, today=TODAY, batch_size=7)] * 2)

    assert not [result for result in results if isinstance(result, Exception)]
    assert reminders_of(kind, recipient).count() == 40
    assert len(set(keys_of(kind, recipient))) == 40


@pytest.mark.parametrize("kind", list(DUE))
def test_each_sweep_costs_the_same_queries_for_n_and_3n_due_items(kind, context, django_assert_max_num_queries):
    make, _audience = DUE[kind]

    make(context, 10)
    # A fixed cost: a few queries for the one batch, plus (rating reminders) one calendar lookup
    # per day of the 5- and 10-working-day look-back.
    with django_assert_max_num_queries(30) as n:
        reminders.sweep(kind, today=TODAY)
    make(context, 30)
    with django_assert_max_num_queries(len(n.captured_queries)) as three_n:
        reminders.sweep(kind, today=TODAY)

    assert len(three_n.captured_queries) == len(n.captured_queries)
    assert reminders_of(kind).values("dedupe_key").distinct().count() == 40


def test_each_batch_adds_the_same_fixed_number_of_queries(context):
    make, _audience = DUE[Kind.REPLY_DUE]
    made, counts = 0, {}
    for total in (6, 10, 18):  # 2, 3 and 5 batches of 4
        make(context, total - made)
        made = total
        Notification.objects.all().delete()  # every item due afresh
        with CaptureQueriesContext(connection) as queries:
            reminders.sweep(Kind.REPLY_DUE, today=TODAY, batch_size=4)
        counts[total] = len(queries)

    per_batch = counts[10] - counts[6]
    assert 0 < per_batch <= 6
    assert counts[18] - counts[6] == 3 * per_batch
    assert reminders_of(Kind.REPLY_DUE).count() == 18


def test_reply_due_reminders_fire_once_per_threshold(context, unit_officer):
    (assignment,) = _assignments(context, 1, reply_due=TODAY + datetime.timedelta(days=14))
    for offset in range(15):
        reminders.sweep(Kind.REPLY_DUE, today=TODAY + datetime.timedelta(days=offset))

    assert keys_of(Kind.REPLY_DUE, unit_officer) == sorted(
        f"suggestions-reply_due:{assignment.pk}:{days}:{assignment.reply_due}" for days in (14, 7, 3)
    )


def test_a_threshold_a_crashed_day_did_not_remind_is_reminded_the_next_day(context, unit_officer):
    (assignment,) = _assignments(context, 1, reply_due=TODAY + datetime.timedelta(days=14))
    # No sweep ran on TODAY, when the reply came within 14 days.
    reminders.sweep(Kind.REPLY_DUE, today=TODAY + datetime.timedelta(days=1))
    reminders.sweep(Kind.REPLY_DUE, today=TODAY + datetime.timedelta(days=2))

    assert keys_of(Kind.REPLY_DUE, unit_officer) == [
        f"suggestions-reply_due:{assignment.pk}:14:{assignment.reply_due}"
    ]


def test_a_moved_reply_deadline_is_reminded_afresh(context, unit_officer):
    (assignment,) = _assignments(context, 1, reply_due=TODAY + datetime.timedelta(days=3))
    reminders.sweep(Kind.REPLY_DUE, today=TODAY)
    Assignment.objects.filter(pk=assignment.pk).update(reply_due=TODAY + datetime.timedelta(days=2))
    reminders.sweep(Kind.REPLY_DUE, today=TODAY)
    assert reminders_of(Kind.REPLY_DUE, unit_officer).count() == 2


def test_overdue_reminders_go_once_a_day_to_the_unit_and_the_office(context, unit_officer, staff_admin):
    (assignment,) = _assignments(context, 1, reply_due=TODAY - datetime.timedelta(days=1))
    for day in (TODAY, TODAY, TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)):
        reminders.sweep(Kind.OVERDUE, today=day)

    expected = [f"suggestions-overdue:{assignment.pk}:{day}" for day in (TODAY, TODAY + datetime.timedelta(days=1))]
    assert keys_of(Kind.OVERDUE, unit_officer) == keys_of(Kind.OVERDUE, staff_admin) == expected


def test_rating_reminders_at_five_and_ten_working_days(context, deputy_user):
    (assignment,) = _assignments(
        context, 1, state=Assignment.State.REPLIED, rating_status=Assignment.RatingStatus.PENDING,
        replied_on=datetime.date(2026, 3, 2), rating_due=datetime.date(2026, 3, 23),
    )
    sent_on = [
        day
        for day in range(2, 24)
        if reminders.sweep(Kind.RATING_PENDING, today=datetime.date(2026, 3, day))["notifications"]
    ]

    assert sent_on == [9, 16]  # the 5th and the 10th working day after the reply
    assert keys_of(Kind.RATING_PENDING, deputy_user) == [
        f"suggestions-rating_pending:{assignment.pk}:{days}:round-1" for days in (10, 5)
    ]


def test_an_item_handled_before_the_sweep_is_not_reminded(context):
    _assignments(context, 1, reply_due=TODAY + datetime.timedelta(days=2), state=Assignment.State.REPLIED)
    assert reminders.sweep(Kind.REPLY_DUE, today=TODAY) == {"candidates": 0, "notifications": 0}
    assert not reminders_of(Kind.REPLY_DUE).exists()


def test_reminders_wait_for_the_daily_digest(context, unit_officer, staff_admin, django_capture_on_commit_callbacks):
    _assignments(context, 2, reply_due=TODAY - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep(Kind.OVERDUE, today=TODAY)
    assert mail.outbox == [] and not Delivery.objects.exists()
    assert not reminders_of(Kind.OVERDUE).filter(is_urgent=True).exists()

    digest.send_daily_digests()

    [message] = [m for m in mail.outbox if m.to == [unit_officer.email]]
    assert "建议0" in message.body and "建议1" in message.body
    assert {m.to[0] for m in mail.outbox} == {unit_officer.email, staff_admin.email}


def test_tasks_run_the_sweeps(context, unit_officer, settings):
    _assignments(context, 2, reply_due=timezone.localdate() - datetime.timedelta(days=1))
    tasks.remind_overdue.delay()
    tasks.remind_overdue.delay()
    assert reminders_of(Kind.OVERDUE, unit_officer).count() == 2
    assert set(settings.CELERY_BEAT_SCHEDULE) >= {
        "suggestions-remind-overdue", "suggestions-close-after-evaluation-window"
    }
