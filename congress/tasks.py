"""Celery tasks of the institution. Tasks take ids, re-read the rows and call a service."""

from celery import shared_task

from congress import idempotency
from congress.notifications import digest, services


@shared_task(ignore_result=True)
def send_daily_digests() -> dict[str, int]:
    """Hourly from beat; each person still gets at most one digest per channel a day."""
    return digest.send_daily_digests()


@shared_task(ignore_result=True)
def send_urgent_notification(notification_id: int) -> dict[str, int]:
    return services.urgent_send(notification_id=notification_id)


@shared_task(ignore_result=True)
def purge_idempotency_keys() -> int:
    """Daily from beat: stored API replays live 24 hours (SECURITY S22)."""
    return idempotency.idempotency_keys_purge()
