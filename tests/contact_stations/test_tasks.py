"""The sweeps: deadline reminders and escalation, shift announcements, anonymisation."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Event, Notification
from contact_stations import services, tasks
from contact_stations.models import DutyShift, Opinion, ReturnVisit
from contact_stations.services import sweeps
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import DutyShiftFactory, OpinionFactory, ShiftDutyFactory

State = Opinion.State
TODAY = datetime.date(2026, 3, 10)


def test_ack_reminder_on_the_due_day_then_escalation_once_overdue(
    station_a, station_keeper, township_officer_a, staff_clerk
):
    opinion = OpinionFactory(station=station_a, ack_due=TODAY, answer_due=TODAY + datetime.timedelta(days=20))

    sweeps.opinions_remind_due(today=TODAY)
    sweeps.opinions_remind_due(today=TODAY)  # the same day again: nothing new

    due = Notification.objects.filter(kind="opinion_ack_due")
    assert set(due.values_list("recipient", flat=True)) == {station_keeper.pk, township_officer_a.pk}
    assert due.count() == 2

    sweeps.opinions_remind_due(today=TODAY + datetime.timedelta(days=1))
    sweeps.opinions_remind_due(today=TODAY + datetime.timedelta(days=2))
    overdue = Notification.objects.filter(kind="opinion_ack_overdue")
    assert set(overdue.values_list("recipient", flat=True)) == {
        station_keeper.pk, township_officer_a.pk, staff_clerk.pk
    }
    assert overdue.count() == 3 and all(overdue.values_list("is_urgent", flat=True))
    assert opinion.receipt_code in overdue.first().title


def test_answer_reminders_go_to_whoever_holds_the_item(station_a, staff_clerk, unit_officer, health_bureau):
    OpinionFactory(
        station=station_a, state=State.PASSED_TO_UNIT, passed_to_unit=health_bureau,
        ack_due=TODAY - datetime.timedelta(days=10), answer_due=TODAY + datetime.timedelta(days=2),
    )
    late = OpinionFactory(
        station=station_a, state=State.PASSED_TO_UNIT, passed_to_unit=health_bureau,
        ack_due=TODAY - datetime.timedelta(days=20), answer_due=TODAY - datetime.timedelta(days=1),
    )

    sweeps.opinions_remind_due(today=TODAY)

    assert list(Notification.objects.filter(kind="opinion_answer_due").values_list("recipient", flat=True)) == [
        unit_officer.pk
    ]
    overdue = Notification.objects.filter(kind="opinion_answer_overdue")
    assert set(overdue.values_list("recipient", flat=True)) == {unit_officer.pk, staff_clerk.pk}
    assert late.answer_due.isoformat() in overdue.first().dedupe_key


def test_the_task_sends_each_reminder_once_when_delivered_twice(station_a, station_keeper):
    OpinionFactory(station=station_a, ack_due=timezone.localdate(), answer_due=timezone.localdate())
    tasks.remind_opinion_deadlines.delay()
    first = Notification.objects.count()
    tasks.remind_opinion_deadlines.delay()
    assert Notification.objects.count() == first > 0


def _sweep_queries(count, station):
    for _index in range(count):
        OpinionFactory(station=station, ack_due=TODAY - datetime.timedelta(days=1), answer_due=TODAY)
    with CaptureQueriesContext(connection) as queries:
        summary = sweeps.opinions_remind_due(today=TODAY)
    assert summary["opinions"] == count
    Opinion.objects.all().delete()
    Notification.objects.all().delete()
    statements = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "sqlite":
        # SQLite caps the parameters of one statement, so Django splits a big bulk insert into
        # several; everything else must not grow with the number of items.
        statements = [
            sql for sql in statements if not (sql.startswith("INSERT") and '"congress_notification"' in sql[:60])
        ]
    return len(statements)


def test_the_sweep_costs_the_same_number_of_queries_for_10_or_100_items(
    station_a, station_keeper, township_officer_a, staff_clerk
):
    assert _sweep_queries(10, station_a) == _sweep_queries(100, station_a)


def test_planned_shifts_entering_the_notice_window_are_announced(station_a, stationed_deputy, deputy_user):
    soon = DutyShiftFactory(station=station_a, date=TODAY + datetime.timedelta(days=4))
    ShiftDutyFactory(shift=soon, deputy=stationed_deputy)
    later = DutyShiftFactory(station=station_a, date=TODAY + datetime.timedelta(days=30))
    ShiftDutyFactory(shift=later, deputy=stationed_deputy)
    unstaffed = DutyShiftFactory(station=station_a, date=TODAY + datetime.timedelta(days=3))

    summary = sweeps.shifts_publish_due(today=TODAY)

    assert summary == {"published": 1, "skipped": 1}
    states = dict(DutyShift.objects.values_list("pk", "state"))
    assert states == {soon.pk: "published", later.pk: "planned", unstaffed.pk: "planned"}
    assert Notification.objects.filter(recipient=deputy_user, kind="shift_notice").count() == 1


def test_shifts_left_open_are_reminded_once(station_a, station_keeper, township_officer_a):
    DutyShiftFactory(station=station_a, date=TODAY - datetime.timedelta(days=2), state=DutyShift.State.PUBLISHED)
    assert sweeps.shifts_remind_unclosed(today=TODAY) == 2
    assert sweeps.shifts_remind_unclosed(today=TODAY) == 0


def test_anonymisation_removes_contact_details_after_the_retention_period_only(
    station_a, township_officer_a, township_body_a
):
    old = OpinionFactory(station=station_a, citizen_name="张三", citizen_phone=CITIZEN_PHONE, consent_at=timezone.now())
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=old, text="已答复")
    services.opinion_close(actor=township_officer_a, opinion=old)
    recent = OpinionFactory(station=station_a, citizen_name="李四", citizen_phone="13900001111")
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=recent, text="已答复")
    services.opinion_close(actor=township_officer_a, opinion=recent)
    open_item = OpinionFactory(station=station_a, citizen_name="王五", citizen_phone="13900002222")
    Opinion.objects.filter(pk__in=[old.pk, open_item.pk]).update(
        closed_at=timezone.now() - datetime.timedelta(days=731)
    )

    assert services.opinions_anonymise() == 1
    assert services.opinions_anonymise() == 0  # a second run finds nothing

    old.refresh_from_db()
    assert (old.citizen_name, old.citizen_phone, old.citizen_phone_index) == ("", "", "")
    assert old.anonymised_at is not None and old.content and old.state == State.CLOSED
    assert old.answers.count() == 1 and ReturnVisit.objects.filter(opinion=old).exists()
    assert Event.objects.for_object(old).filter(verb="contact_removed").count() == 1
    recent.refresh_from_db()
    open_item.refresh_from_db()
    assert recent.citizen_phone == "13900001111" and open_item.citizen_phone == "13900002222"
    # The audit log never held the contact details in the first place.
    logged = " ".join(str(entry.changes) for entry in LogEntry.objects.all())
    assert CITIZEN_PHONE not in logged and "张三" not in logged


@pytest.mark.parametrize("days", [10])
def test_the_retention_period_is_the_congress_setting(station_a, township_officer_a, township_body_a, days):
    from congress.rules import rules_for

    rules = rules_for(township_body_a)
    rules.citizen_data_retention_days = days
    rules.save()
    opinion = OpinionFactory(station=station_a, citizen_phone=CITIZEN_PHONE)
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已答复")
    services.opinion_close(actor=township_officer_a, opinion=opinion)

    assert services.opinions_anonymise(now=timezone.now() + datetime.timedelta(days=days - 1)) == 0
    assert services.opinions_anonymise(now=timezone.now() + datetime.timedelta(days=days + 1)) == 1
