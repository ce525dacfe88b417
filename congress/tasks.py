"""Celery tasks of the institution. Tasks take ids, re-read the rows and call a service."""

from celery import shared_task
from django.conf import settings

from congress import audit_chain, idempotency
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


@shared_task(ignore_result=True)
def seal_audit_chain() -> dict[str, int]:
    """Every five minutes from beat: hash-chain the audit rows written since (SECURITY S21)."""
    return audit_chain.seal_all()


@shared_task(ignore_result=True)
def purge_expired_audit_rows() -> dict[str, int]:
    """Daily from beat: audit rows are kept AUDIT_RETENTION_DAYS (≥ 184) and purged only after."""
    audit_chain.seal_all()
    return audit_chain.purge_before(older_than_days=settings.AUDIT_RETENTION_DAYS)
