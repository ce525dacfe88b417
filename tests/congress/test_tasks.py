"""The daily digest sweep and the Celery wiring of the notification tasks."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from congress import tasks
from congress.celery import app as celery_app
from congress.models import Delivery, Notification, User
from congress.notifications import digest
from congress.notifications.channels import CHANNELS
from congress.notifications.delivery import MAX_ATTEMPTS, RETRY_AFTER
from congress.notifications.services import notify


def _early_today():
    """01:00 local time today: a few hours later is still the same digest day."""
    return timezone.localtime().replace(hour=1, minute=0, second=0, microsecond=0)


class BrokenEmailBackend(BaseEmailBackend):
    """Stands in for an SMTP server that refuses every message (an external system)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp is down")


def _person(name, *, email=True, phone=True):
    # No password: these people never log in, and hashing one costs a second per person.
    return User.objects.create(
        username=name,
        password=UNUSABLE_PASSWORD_PREFIX,
        email=f"{name}@example.cn" if email else "",
        phone=f"139{abs(hash(name)) % 10**8:08d}" if phone else "",
    )


def _notify(user, title, **kwargs):
    return notify(recipients=[user], kind="reminder", title=title, **kwargs)[0]


def _backdate(notification, when):
    Notification.objects.filter(pk=notification.pk).update(created_at=when)


def test_digest_sends_one_email_and_one_sms_per_person_with_all_their_notifications(db, sms_outbox):
    wang, li = _person("wang"), _person("li")
    _notify(wang, "Reply due in 7 days")
    _notify(wang, "Evaluation pending")
    _notify(li, "Co-handler opinion due")

    summary = tasks.send_daily_digests.delay().get()

    assert summary["claimed"] == 4
    assert summary["sent"] == 4
    assert sorted(message.to[0] for message in mail.outbox) == ["li@example.cn", "wang@example.cn"]
    wang_mail = next(message for message in mail.outbox if message.to == ["wang@example.cn"])
    assert "Reply due in 7 days" in wang_mail.body
    assert "Evaluation pending" in wang_mail.body
    assert len(sms_outbox) == 2
    today = timezone.localdate()
    email_digest = Delivery.objects.get(recipient=wang, channel="email")
    assert email_digest.digest_day == today
    assert email_digest.status == Delivery.Status.SENT
    assert email_digest.sent_at is not None
    assert email_digest.notifications.count() == 2


def test_at_most_one_digest_per_person_per_channel_per_day(db, sms_outbox):
    wang = _person("wang")
    _notify(wang, "First")
    morning = _early_today()
    digest.send_daily_digests(now=morning)
    _notify(wang, "Later that day")

    rerun = digest.send_daily_digests(now=morning + datetime.timedelta(hours=3))

    assert rerun["claimed"] == 0
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1

    next_day = digest.send_daily_digests(now=morning + datetime.timedelta(days=1))

    assert next_day["claimed"] == 2
    assert len(mail.outbox) == 2
    assert "Later that day" in mail.outbox[1].body
    assert "First" not in mail.outbox[1].body
    assert Delivery.objects.filter(recipient=wang, channel="email").count() == 2


def test_digest_leaves_out_read_urgent_and_stale_notifications(db, sms_outbox, django_capture_on_commit_callbacks):
    wang = _person("wang")
    read = _notify(wang, "Already read")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        _notify(wang, "Overdue", urgent=True)
    stale = _notify(wang, "Weeks old")
    _backdate(stale, timezone.now() - digest.LOOKBACK - datetime.timedelta(days=1))
    _notify(wang, "Fresh")
    mail.outbox.clear()
    sms_outbox.clear()

    digest.send_daily_digests()

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Fresh" in body
    for absent in ("Already read", "Overdue", "Weeks old"):
        assert absent not in body


def test_email_only_to_people_with_an_address_and_sms_only_to_people_with_a_phone(db, sms_outbox):
    no_email = _person("no_email", email=False)
    no_phone = _person("no_phone", phone=False)
    _notify(no_email, "For the phone")
    _notify(no_phone, "For the mailbox")

    digest.send_daily_digests()

    assert [message.to for message in mail.outbox] == [["no_phone@example.cn"]]
    assert [message["phone"] for message in sms_outbox] == [no_email.phone]
    assert not Delivery.objects.filter(recipient=no_email, channel="email").exists()
    assert not Delivery.objects.filter(recipient=no_phone, channel="sms").exists()


def test_inactive_people_get_no_digest(db, sms_outbox):
    gone = _person("gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    _notify(gone, "Nobody reads this")

    digest.send_daily_digests()

    assert mail.outbox == []
    assert sms_outbox == []


def test_a_claim_is_exclusive(db):
    wang = _person("wang")
    _notify(wang, "Once")
    email = CHANNELS["email"]
    now = timezone.now()

    first = digest.claim(email, recipient_ids=[wang.pk], today=timezone.localdate(now), now=now)
    second = digest.claim(email, recipient_ids=[wang.pk], today=timezone.localdate(now), now=now)

    assert len(first) == 1
    assert second == []
    assert Delivery.objects.filter(recipient=wang, channel="email").count() == 1


def test_a_crash_after_the_claim_is_finished_by_the_next_sweep(db, sms_outbox):
    wang = _person("wang")
    _notify(wang, "Survives a crash")
    email = CHANNELS["email"]
    now = timezone.now()
    # The worker claims today's digest and dies before sending it.
    (claimed,) = digest.claim(email, recipient_ids=[wang.pk], today=timezone.localdate(now), now=now)

    # A sweep soon after leaves the claim alone: its worker may still be sending.
    digest.send_daily_digests(now=now + RETRY_AFTER / 2)
    assert mail.outbox == []
    assert Delivery.objects.get(pk=claimed).status == Delivery.Status.PENDING

    digest.send_daily_digests(now=now + RETRY_AFTER * 2)

    assert len(mail.outbox) == 1
    assert "Survives a crash" in mail.outbox[0].body
    delivery = Delivery.objects.get(pk=claimed)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    assert Delivery.objects.filter(recipient=wang, channel="email").count() == 1


def test_failed_sends_are_retried_a_bounded_number_of_times(db, settings, sms_outbox):
    settings.EMAIL_BACKEND = "tests.congress.test_tasks.BrokenEmailBackend"
    wang = _person("wang")
    _notify(wang, "Hard to deliver")

    now = timezone.now()
    digest.send_daily_digests(now=now)
    delivery = Delivery.objects.get(recipient=wang, channel="email")
    assert delivery.status == Delivery.Status.PENDING
    assert "smtp is down" in delivery.error
    # SMS is a separate channel and went out.
    assert Delivery.objects.get(recipient=wang, channel="sms").status == Delivery.Status.SENT

    for _attempt in range(MAX_ATTEMPTS + 2):
        now += RETRY_AFTER * 2
        digest.send_daily_digests(now=now)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert Delivery.objects.filter(recipient=wang, channel="email").count() == 1


def test_an_smtp_outage_recovers_on_the_next_sweep(db, settings, sms_outbox):
    settings.EMAIL_BACKEND = "tests.congress.test_tasks.BrokenEmailBackend"
    wang = _person("wang")
    _notify(wang, "Delayed")
    now = timezone.now()
    digest.send_daily_digests(now=now)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digest.send_daily_digests(now=now + RETRY_AFTER * 2)

    assert len(mail.outbox) == 1
    assert Delivery.objects.get(recipient=wang, channel="email").status == Delivery.Status.SENT


@pytest.mark.parametrize("people", [3, 40])
def test_the_sweep_costs_a_bounded_number_of_queries(db, sms_outbox, django_assert_max_num_queries, people):
    for number in range(people):
        person = _person(f"person{number}")
        _notify(person, "One")
        _notify(person, "Two")

    with django_assert_max_num_queries(40):
        summary = digest.send_daily_digests()

    assert summary["sent"] == people * 2
    assert len(mail.outbox) == people


def test_the_sweep_pages_through_people_in_batches(db, sms_outbox):
    people = [_person(f"person{number}") for number in range(7)]
    for person in people:
        _notify(person, "Batched")

    summary = digest.send_daily_digests(batch_size=3)

    assert summary["claimed"] == 14
    assert len(mail.outbox) == 7


def test_beat_schedules_the_digest_task_and_the_worker_knows_it():
    entry = settings.CELERY_BEAT_SCHEDULE["send-notification-digests"]
    assert entry["task"] == tasks.send_daily_digests.name == "congress.tasks.send_daily_digests"
    assert "congress.tasks.send_urgent_notification" in celery_app.tasks


def test_tasks_run_eagerly_in_tests():
    assert celery_app.conf.task_always_eager is True
