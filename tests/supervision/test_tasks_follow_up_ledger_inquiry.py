"""Follow-up checks (回头看), ledger items (整改台账) and inquiry handling reports are reminded once per
threshold, to the units concerned and the lead committee's staff, at a cost that does not grow with
the number of items."""

import datetime

import pytest

from congress.models import Notification
from congress.models.accounts import Role
from supervision import services
from supervision.services import reminders
from tests.factories.congress import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_clerk(district_body, committee):
    return user_with_role(Role.STAFF_CLERK, username="committee_clerk", body=district_body, committee=committee)


@pytest.fixture
def check(passed_opinion, staff_clerk):
    return services.follow_up_schedule(actor=staff_clerk, opinion=passed_opinion, on=datetime.date(2028, 3, 10))


def test_a_follow_up_check_coming_due_is_reminded_once_to_the_committee_and_the_unit(
    check, committee_clerk, unit_officer, staff_clerk
):
    day = datetime.date(2028, 3, 5)
    first = reminders.remind_follow_up_checks(today=day)
    again = reminders.remind_follow_up_checks(today=day)
    next_day = reminders.remind_follow_up_checks(today=day + datetime.timedelta(days=1))

    assert (first, again, next_day) == (2, 0, 0)
    assert set(Notification.objects.filter(kind="supervision.follow_up").values_list("recipient", flat=True)) == {
        committee_clerk.pk, unit_officer.pk,
    }


def test_an_overdue_follow_up_check_is_reminded_once_more_urgently(check, committee_clerk, unit_officer):
    reminders.remind_follow_up_checks(today=datetime.date(2028, 3, 5))
    overdue = reminders.remind_follow_up_checks(today=datetime.date(2028, 3, 12))

    assert overdue == 2 and reminders.remind_follow_up_checks(today=datetime.date(2028, 3, 13)) == 0
    assert Notification.objects.get(recipient=committee_clerk, kind="supervision.follow_up", is_urgent=True)


def test_a_done_follow_up_check_is_not_reminded(check, staff_clerk, committee_clerk):
    services.follow_up_record(actor=staff_clerk, check=check, findings="整改成效巩固。")
    assert reminders.remind_follow_up_checks(today=datetime.date(2028, 3, 12)) == 0


def test_without_committee_staff_the_office_is_reminded(check, staff_clerk, unit_officer):
    reminders.remind_follow_up_checks(today=datetime.date(2028, 3, 5))
    assert Notification.objects.filter(kind="supervision.follow_up", recipient=staff_clerk).exists()


@pytest.fixture
def ledger_item(sent_opinion, staff_clerk, health_bureau):
    return services.rectification_item_add(actor=staff_clerk, opinion=sent_opinion, item="补齐村卫生室医生",
                                           owner_unit=health_bureau, due_on=datetime.date(2027, 12, 31))


def test_a_ledger_item_due_soon_reminds_the_owner_unit_once(ledger_item, unit_officer, committee_clerk):
    day = datetime.date(2027, 12, 20)
    assert reminders.remind_ledger_items(today=day) == 1
    assert reminders.remind_ledger_items(today=day) == 0
    assert Notification.objects.get(kind="supervision.ledger_item").recipient == unit_officer


def test_an_overdue_ledger_item_tells_the_unit_and_the_lead_committee_once(ledger_item, unit_officer,
                                                                            committee_clerk, staff_clerk):
    day = datetime.date(2028, 1, 3)
    assert reminders.remind_ledger_items(today=day) == 2
    assert reminders.remind_ledger_items(today=day + datetime.timedelta(days=1)) == 0
    recipients = set(Notification.objects.filter(kind="supervision.ledger_item", is_urgent=True)
                     .values_list("recipient", flat=True))
    assert recipients == {unit_officer.pk, committee_clerk.pk}


def test_a_done_ledger_item_is_not_reminded(ledger_item, unit_officer):
    services.rectification_item_update(actor=unit_officer, item=ledger_item, status="done", progress="已完成")
    assert reminders.remind_ledger_items(today=datetime.date(2028, 1, 3)) == 0


def test_a_moved_due_date_is_reminded_afresh(ledger_item, unit_officer):
    reminders.remind_ledger_items(today=datetime.date(2027, 12, 20))
    type(ledger_item).objects.filter(pk=ledger_item.pk).update(due_on=datetime.date(2027, 12, 28))
    assert reminders.remind_ledger_items(today=datetime.date(2027, 12, 20)) == 1


def test_ledger_sweep_cost_does_not_grow_with_the_number_of_items(sent_opinion, staff_clerk, health_bureau,
                                                                   unit_officer, django_assert_max_num_queries):
    def add(count):
        for n in range(count):
            unit = UnitFactory(region=health_bureau.region, name=f"单位{n}-{count}")
            user_with_role(Role.UNIT_OFFICER, username=f"officer{n}-{count}", unit=unit)
            services.rectification_item_add(actor=staff_clerk, opinion=sent_opinion, item=f"整改事项{n}",
                                            owner_unit=unit, due_on=datetime.date(2027, 12, 1))

    add(3)
    with django_assert_max_num_queries(8) as few:
        reminders.remind_ledger_items(today=datetime.date(2028, 1, 3))
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        reminders.remind_ledger_items(today=datetime.date(2028, 1, 3))


def test_follow_up_sweep_cost_does_not_grow_with_the_number_of_checks(passed_opinion, staff_clerk,
                                                                       django_assert_max_num_queries):
    for n in range(25):
        services.follow_up_schedule(actor=staff_clerk, opinion=passed_opinion,
                                    on=datetime.date(2028, 3, 1) + datetime.timedelta(days=n % 5))
    with django_assert_max_num_queries(8):
        assert reminders.remind_follow_up_checks(today=datetime.date(2028, 3, 5)) > 0


@pytest.fixture
def inquiry_with_report_due(topic, staff_clerk, member, health_bureau):
    inquiry = services.inquiry_create(actor=staff_clerk, topic=topic, date=datetime.date(2027, 6, 25),
                                      report_due=datetime.date(2027, 8, 25))
    services.inquiry_question_record(actor=staff_clerk, inquiry=inquiry, question="问题", asked_by=member,
                                     unit=health_bureau)
    return inquiry


def test_the_questioned_unit_is_reminded_of_its_inquiry_report_once_then_once_more_when_overdue(
    inquiry_with_report_due, unit_officer, committee_clerk
):
    day = datetime.date(2027, 8, 20)
    assert reminders.remind_inquiry_reports(today=day) == 1
    assert reminders.remind_inquiry_reports(today=day) == 0
    assert reminders.remind_inquiry_reports(today=datetime.date(2027, 8, 28)) == 2  # the unit and the committee
    assert reminders.remind_inquiry_reports(today=datetime.date(2027, 8, 29)) == 0
    assert Notification.objects.get(recipient=committee_clerk, kind="supervision.inquiry_report").is_urgent


def test_a_received_inquiry_report_is_not_reminded(inquiry_with_report_due, staff_clerk, unit_officer):
    services.inquiry_handling_report(actor=unit_officer, inquiry=inquiry_with_report_due, text="已研究处理。")
    assert reminders.remind_inquiry_reports(today=datetime.date(2027, 8, 28)) == 0


def test_inquiry_report_sweep_cost_does_not_grow_with_the_number_of_inquiries(
    topic, staff_clerk, member, health_bureau, unit_officer, django_assert_max_num_queries
):
    def add(count):
        for _n in range(count):
            inquiry = services.inquiry_create(actor=staff_clerk, topic=topic, date=datetime.date(2027, 6, 25),
                                              report_due=datetime.date(2027, 8, 1))
            services.inquiry_question_record(actor=staff_clerk, inquiry=inquiry, question="问题", asked_by=member,
                                             unit=health_bureau)

    add(2)
    with django_assert_max_num_queries(8) as few:
        reminders.remind_inquiry_reports(today=datetime.date(2027, 8, 20))
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        reminders.remind_inquiry_reports(today=datetime.date(2027, 8, 20))
