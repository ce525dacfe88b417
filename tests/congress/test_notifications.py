"""The inbox, notify(), urgent sends on email and SMS, masking, and the inbox pages."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from congress import tasks
from congress.masking import mask_id_number, mask_phone
from congress.models import Delivery, Notification
from congress.notifications.services import notify
from tests.factories.congress import UserFactory

PHONE = "13812345678"


@pytest.fixture
def reachable(db):
    """A person with both an email address and a phone."""
    return UserFactory(username="reachable", email="reachable@example.cn", phone=PHONE)


# ---- notify() -------------------------------------------------------------------------------


def test_notify_puts_one_row_in_each_inbox_and_sends_nothing_before_the_digest(
    staff_clerk, unit_officer, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            recipients=[staff_clerk, unit_officer.pk],
            kind="reply_due",
            title="Reply due in 7 days",
            url="/console/",
        )

    assert {n.recipient_id for n in created} == {staff_clerk.pk, unit_officer.pk}
    assert Notification.objects.filter(recipient=staff_clerk, kind="reply_due", read_at__isnull=True).count() == 1
    assert mail.outbox == []
    assert sms_outbox == []
    assert not Delivery.objects.exists()


def test_a_retried_sweep_with_the_same_dedupe_key_creates_no_twin(staff_clerk, leader):
    first = notify(recipients=[staff_clerk], kind="reply_due", title="Due", dedupe_key="reply-due-7:assignment-42")
    again = notify(
        recipients=[staff_clerk, leader], kind="reply_due", title="Due", dedupe_key="reply-due-7:assignment-42"
    )

    assert len(first) == 1
    assert [n.recipient_id for n in again] == [leader.pk]
    assert Notification.objects.filter(dedupe_key="reply-due-7:assignment-42").count() == 2
    assert Notification.objects.filter(recipient=staff_clerk).count() == 1


def test_notify_without_recipients_does_nothing(db):
    assert notify(recipients=[], kind="x", title="Nobody") == []
    assert not Notification.objects.exists()


def test_urgent_notification_goes_out_at_once_on_email_and_sms_after_commit(
    reachable, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = notify(
            recipients=[reachable], kind="overdue", title="Reply overdue", body="Three days late.", urgent=True
        )
        # Nothing leaves before the transaction commits.
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reachable@example.cn"]
    assert "Reply overdue" in mail.outbox[0].subject
    assert "Three days late." in mail.outbox[0].body
    assert [message["phone"] for message in sms_outbox] == [PHONE]
    assert "Reply overdue" in sms_outbox[0]["message"]
    deliveries = Delivery.objects.filter(notifications=notification)
    assert sorted(deliveries.values_list("channel", "status", "digest_day")) == [
        ("email", "sent", None),
        ("sms", "sent", None),
    ]


def test_an_urgent_task_delivered_twice_sends_once(reachable, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(recipients=[reachable], kind="overdue", title="Overdue", urgent=True)

    tasks.send_urgent_notification.delay(notification.pk)

    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1
    assert Delivery.objects.filter(notifications=notification).count() == 2


def test_a_rolled_back_action_notifies_nobody(reachable, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipients=[reachable], kind="overdue", title="Overdue", urgent=True)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass

    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert sms_outbox == []


def test_urgent_notification_uses_only_the_channels_a_person_can_be_reached_on(
    db, django_capture_on_commit_callbacks, sms_outbox
):
    email_only = UserFactory(username="email_only", email="e@example.cn", phone="")
    phone_only = UserFactory(username="phone_only", email="", phone="13900001111")
    neither = UserFactory(username="neither", email="", phone="")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[email_only, phone_only, neither], kind="overdue", title="Overdue", urgent=True)

    assert [message.to for message in mail.outbox] == [["e@example.cn"]]
    assert [message["phone"] for message in sms_outbox] == ["13900001111"]
    assert not Delivery.objects.filter(recipient=neither).exists()
    # Everyone still has it in the inbox.
    assert Notification.objects.filter(recipient=neither).count() == 1


def test_the_sms_log_line_masks_the_phone_number(reachable, django_capture_on_commit_callbacks, caplog):
    sms_logger = logging.getLogger("tongxin.sms")
    sms_logger.addHandler(caplog.handler)  # the logger does not propagate to the root
    try:
        with caplog.at_level(logging.INFO, logger="tongxin.sms"), django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[reachable], kind="overdue", title="Overdue", urgent=True)
    finally:
        sms_logger.removeHandler(caplog.handler)

    lines = [record.getMessage() for record in caplog.records if record.name == "tongxin.sms"]
    assert len(lines) == 1
    assert "138****5678" in lines[0]
    assert PHONE not in caplog.text


def test_inactive_people_get_no_urgent_message(db, django_capture_on_commit_callbacks, sms_outbox):
    gone = UserFactory(username="gone", email="gone@example.cn", phone=PHONE, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[gone], kind="overdue", title="Overdue", urgent=True)

    assert mail.outbox == []
    assert sms_outbox == []


# ---- masking --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812345678", "138****5678"), ("138 1234 5678", "138****5678"), ("", ""), (None, ""), ("12345", "****5")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("350212198001011234", "3502**********1234"), ("35021219800101123X", "3502**********123X"), ("", "")],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


# ---- inbox pages ----------------------------------------------------------------------------


def _titles(response):
    return [n.title for n in response.context["notifications"]]


def test_console_inbox_lists_own_notifications_unread_first(
    client, login, staff_clerk, leader, django_assert_max_num_queries
):
    old_unread = notify(recipients=[staff_clerk], kind="k", title="Old unread")[0]
    read = notify(recipients=[staff_clerk], kind="k", title="Read one")[0]
    notify(recipients=[staff_clerk], kind="k", title="New unread")
    notify(recipients=[leader], kind="k", title="Someone else's")
    Notification.objects.filter(pk=read.pk).update(read_at=old_unread.created_at)
    for number in range(25):
        notify(recipients=[leader], kind="k", title=f"Leader {number}")
    login(client, staff_clerk)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("console:notifications"))

    assert response.status_code == 200
    assert _titles(response) == ["New unread", "Old unread", "Read one"]
    assert response.context["unread_total"] == 2
    assert "Someone else&#x27;s" not in response.content.decode()
    assert "Someone else's" not in response.content.decode()


def test_console_inbox_is_paginated_and_filters_unread(client, login, staff_clerk):
    for number in range(25):
        notify(recipients=[staff_clerk], kind="k", title=f"N{number}")
    Notification.objects.filter(title="N0").update(read_at=Notification.objects.get(title="N1").created_at)
    login(client, staff_clerk)

    first = client.get(reverse("console:notifications"))
    second = client.get(reverse("console:notifications"), {"page": 2})
    unread = client.get(reverse("console:notifications"), {"show": "unread", "page": 2})

    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 5
    assert _titles(second)[-1] == "N0"  # the read one comes last
    assert "N0" not in _titles(unread)
    assert unread.context["page_obj"].paginator.count == 24


def test_marking_read_needs_a_post_and_changes_only_that_notification(client, login, staff_clerk):
    first, second = (notify(recipients=[staff_clerk], kind="k", title=title)[0] for title in ("A", "B"))
    login(client, staff_clerk)
    url = reverse("console:notification_read", args=[first.pk])

    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("console:notifications")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_marking_read_over_htmx_returns_the_row_fragment(client, login, staff_clerk):
    (notification,) = notify(recipients=[staff_clerk], kind="k", title="Fragment me")
    login(client, staff_clerk)

    response = client.post(reverse("console:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "console/notifications/_notification.html"
    body = response.content.decode()
    assert f'id="notification-{notification.pk}"' in body
    assert "<html" not in body
    assert "Mark read" not in body  # it is read now


def test_open_marks_read_and_follows_only_a_local_link(client, login, staff_clerk):
    local = notify(recipients=[staff_clerk], kind="k", title="Local", url="/console/")[0]
    foreign = notify(recipients=[staff_clerk], kind="k", title="Foreign", url="https://evil.example/")[0]
    login(client, staff_clerk)

    to_local = client.post(reverse("console:notification_read", args=[local.pk]), {"open": "1"})
    to_foreign = client.post(reverse("console:notification_read", args=[foreign.pk]), {"open": "1"})

    assert to_local.url == "/console/"
    assert to_foreign.url == reverse("console:notifications")
    assert Notification.objects.filter(recipient=staff_clerk, read_at__isnull=True).count() == 0


def test_nobody_can_mark_another_persons_notification(client, login, staff_clerk, leader):
    (notification,) = notify(recipients=[leader], kind="k", title="Leader's")
    login(client, staff_clerk)

    response = client.post(reverse("console:notification_read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_own_notifications(client, login, staff_clerk, leader):
    notify(recipients=[staff_clerk, leader], kind="k", title="One")
    notify(recipients=[staff_clerk, leader], kind="k", title="Two")
    login(client, staff_clerk)

    response = client.post(reverse("console:notifications_read_all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=staff_clerk, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=leader, read_at__isnull=True).count() == 2


def test_mark_all_read_over_htmx_returns_the_list_fragment(client, login, staff_clerk):
    notify(recipients=[staff_clerk], kind="k", title="One")
    login(client, staff_clerk)

    response = client.post(reverse("console:notifications_read_all"), HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == "console/notifications/_list.html"
    assert response.context["unread_total"] == 0


def test_deputy_reads_messages_in_the_portal(client, login, deputy_user, django_assert_max_num_queries):
    (notification,) = notify(recipients=[deputy_user], kind="k", title="Please rate the reply")
    login(client, deputy_user)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:notifications"))
    assert _titles(response) == ["Please rate the reply"]
    assert "portal/notifications/list.html" in [t.name for t in response.templates]

    client.post(reverse("portal:notification_read", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_each_inbox_is_for_its_own_interface(client, login, deputy_user, staff_clerk):
    login(client, deputy_user)
    assert client.get(reverse("console:notifications")).status_code == 403
    login(client, staff_clerk)
    assert client.get(reverse("portal:notifications")).status_code == 403
    assert client.post(reverse("portal:notifications_read_all")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(reverse("console:notifications"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.post(reverse("portal:notifications_read_all")).status_code == 302
