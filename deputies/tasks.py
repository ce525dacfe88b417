"""Celery tasks of the deputies app: thin wrappers that take plain values and call a service."""

from celery import shared_task
from django.utils import timezone

from deputies import services


@shared_task(ignore_result=True)
def remind_contact_pairs_below_minimum() -> int:
    """Monthly from beat: remind 双联系 pairs that have logged fewer contacts than the yearly minimum."""
    today = timezone.localdate()
    return services.contact_pairs_remind_below_minimum(year=today.year, month=today.month)


@shared_task(ignore_result=True)
def run_roster_import(job_id: int) -> str:
    """Import a large roster file; the job row carries the progress the console polls."""
    from deputies import imports

    return imports.run_import(job_id).state


@shared_task(ignore_result=True)
def run_roster_export(job_id: int) -> str:
    """Write a large roster export to a file only its exporter may download."""
    from deputies import exports

    return exports.run_export(job_id).state


@shared_task(ignore_result=True)
def remind_rectification_plans() -> int:
    """Daily from beat: remind deputies and staff of rectification plans due soon or overdue (述职评议)."""
    return services.voter_reports_remind_rectification(today=timezone.localdate())
