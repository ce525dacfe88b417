"""The beat schedule names only tasks that exist, so a typo never silently drops a reminder."""

from django.conf import settings

from congress.celery import app


def test_every_scheduled_task_is_registered_with_the_worker():
    app.loader.import_default_modules()
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert missing == []


def test_every_app_sweep_is_on_the_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("suggestions.tasks.remind_reply_due", "suggestions.tasks.remind_overdue",
                 "supervision.tasks.remind_follow_up_checks", "supervision.tasks.remind_ledger_items",
                 "supervision.tasks.remind_inquiry_reports",
                 "congress.tasks.send_daily_digests", "deputies.tasks.remind_rectification_plans"):
        assert name in scheduled
