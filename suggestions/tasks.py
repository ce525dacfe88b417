"""Celery tasks of the suggestions app: one reminder sweep per kind of deadline, and the daily
close of items whose evaluation window has ended. Each calls a service; see
`suggestions.services.reminders` for why a re-run or a second beat never sends twice.

Beat entries for `CELERY_BEAT_SCHEDULE` (congress/settings.py) are in `BEAT_SCHEDULE` below.
"""

from celery import shared_task
from celery.schedules import crontab

from suggestions.models import ReminderLog
from suggestions.services import evaluation, reminders, summaries

Kind = ReminderLog.Kind


def _sweep(kind: str) -> dict[str, int]:
    return reminders.sweep(kind)


@shared_task(ignore_result=True)
def remind_intake_due() -> dict[str, int]:
    return _sweep(Kind.INTAKE_DUE)


@shared_task(ignore_result=True)
def remind_objection_closing() -> dict[str, int]:
    return _sweep(Kind.OBJECTION_CLOSING)


@shared_task(ignore_result=True)
def remind_co_opinion_due() -> dict[str, int]:
    return _sweep(Kind.CO_OPINION_DUE)


@shared_task(ignore_result=True)
def remind_reply_due() -> dict[str, int]:
    return _sweep(Kind.REPLY_DUE)


@shared_task(ignore_result=True)
def remind_overdue() -> dict[str, int]:
    return _sweep(Kind.OVERDUE)


@shared_task(ignore_result=True)
def remind_rating_pending() -> dict[str, int]:
    return _sweep(Kind.RATING_PENDING)


@shared_task(ignore_result=True)
def remind_rehandling_due() -> dict[str, int]:
    return _sweep(Kind.REHANDLING_DUE)


@shared_task(ignore_result=True)
def remind_commitment_due() -> dict[str, int]:
    return _sweep(Kind.COMMITMENT_DUE)


@shared_task(ignore_result=True)
def summarise_overdue_for_leaders() -> int:
    return summaries.overdue_summary_send()


@shared_task(ignore_result=True)
def close_after_evaluation_window() -> int:
    return evaluation.assignments_close_after_window()


# Daily, before the hourly digest picks the reminders up; staggered so they do not pile up.
BEAT_SCHEDULE = {
    "suggestions-close-after-evaluation-window": {
        "task": "suggestions.tasks.close_after_evaluation_window",
        "schedule": crontab(hour=6, minute=0),
    },
    # Weekly, after Monday's daily overdue sweep.
    "suggestions-summarise-overdue-for-leaders": {
        "task": "suggestions.tasks.summarise_overdue_for_leaders",
        "schedule": crontab(day_of_week="mon", hour=7, minute=15),
    },
    **{
        f"suggestions-{name.replace('_', '-')}": {
            "task": f"suggestions.tasks.{name}",
            "schedule": crontab(hour=6, minute=10 + 5 * index),
        }
        for index, name in enumerate(
            (
                "remind_intake_due",
                "remind_objection_closing",
                "remind_co_opinion_due",
                "remind_reply_due",
                "remind_overdue",
                "remind_rating_pending",
                "remind_rehandling_due",
                "remind_commitment_due",
            )
        )
    },
}
