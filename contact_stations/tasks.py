"""Celery tasks of the contact stations: thin wrappers taking ids or nothing, calling a service.

Beat runs the sweeps (see the schedule lines in the app's report); each is idempotent, so an
overlapping or repeated run sends nothing twice.
"""

from celery import shared_task
from django.conf import settings
from django.utils import translation

from contact_stations.services import return_visits, sweeps
from contact_stations.services.shifts import shift_record_duty_activities


@shared_task(ignore_result=True)
def remind_opinion_deadlines() -> dict[str, int]:
    """Daily: acknowledgement and answer deadlines, with overdue items escalated (urgent)."""
    with translation.override(settings.LANGUAGE_CODE):
        return sweeps.opinions_remind_due()


@shared_task(ignore_result=True)
def publish_due_shifts() -> dict[str, int]:
    """Daily: announce roster shifts entering their notice window."""
    with translation.override(settings.LANGUAGE_CODE):
        return sweeps.shifts_publish_due()


@shared_task(ignore_result=True)
def remind_unclosed_shifts() -> int:
    """Daily: shifts past their day that nobody closed (who came, how many visitors)."""
    with translation.override(settings.LANGUAGE_CODE):
        return sweeps.shifts_remind_unclosed()


@shared_task(ignore_result=True)
def anonymise_citizen_data() -> int:
    """Nightly: remove citizens' contact details after the retention period; purge old SMS codes."""
    return sweeps.opinions_anonymise()


@shared_task(bind=True, ignore_result=True, max_retries=5, default_retry_delay=300)
def send_return_visit_link(self, visit_id: int) -> bool:
    """Send a closed opinion's rating link by SMS; a second delivery of the task sends nothing."""
    from congress.notifications.sms import SmsError

    try:
        with translation.override(settings.LANGUAGE_CODE):
            return return_visits.return_visit_send_link(visit_id=visit_id) is not None
    except SmsError as error:
        raise self.retry(exc=error) from error


@shared_task(ignore_result=True)
def record_shift_duty_activities(shift_id: int) -> int:
    """Repair path: (re)record the duty activities of a held shift; idempotent."""
    from contact_stations.models import DutyShift

    shift = DutyShift.objects.select_related("station").filter(pk=shift_id).first()
    return shift_record_duty_activities(shift=shift) if shift else 0
