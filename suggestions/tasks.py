"""Celery tasks of the suggestions app: one reminder sweep per kind of deadline, and the daily
close of items whose evaluation window has ended. Each calls a service; see
`suggestions.services.reminders` for why a re-run or a second beat never sends twice.

Their beat entries live in one place, `CELERY_BEAT_SCHEDULE` in congress/settings.py.
"""

from celery import shared_task

from suggestions.services import evaluation, reminders, summaries
from suggestions.services.reminders import Kind


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

