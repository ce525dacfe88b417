"""Celery tasks of the supervision app: the daily reminder sweeps, and the SMS telling a citizen
their proposed topic was declined. Each calls a service; see `supervision.services.reminders` and
`supervision.services.citizen_sms` for why a re-run or a second delivery never sends twice.

Their beat entries live in one place, `CELERY_BEAT_SCHEDULE` in congress/settings.py.
"""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from supervision.services import citizen_sms, reminders


@shared_task(ignore_result=True)
def remind_milestones() -> int:
    return reminders.remind_milestones()


@shared_task(ignore_result=True)
def remind_implementation_reports() -> int:
    return reminders.remind_implementation_reports()


@shared_task(bind=True, ignore_result=True, max_retries=5, default_retry_delay=300)
def tell_citizen_proposal_declined(self, proposal_id: int, declined_id: int) -> bool:
    """Text a citizen that their proposed topic was declined; a second delivery sends nothing."""
    from congress.notifications.sms import SmsError

    try:
        with translation.override(settings.LANGUAGE_CODE):
            return citizen_sms.proposal_decline_tell_citizen(proposal_id=proposal_id, declined_id=declined_id)
    except SmsError as error:
        raise self.retry(exc=error) from error


@shared_task(ignore_result=True)
def remind_follow_up_checks() -> int:
    return reminders.remind_follow_up_checks()


@shared_task(ignore_result=True)
def remind_ledger_items() -> int:
    return reminders.remind_ledger_items()


@shared_task(ignore_result=True)
def remind_inquiry_reports() -> int:
    return reminders.remind_inquiry_reports()

