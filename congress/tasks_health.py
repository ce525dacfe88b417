"""A health-check task: proves that a worker takes messages from the broker and reaches the cache.

`manage.py ping_worker` sends it and waits for the marker it leaves. Loaded by the workers through
`CELERY_IMPORTS` in the settings, because autodiscovery only looks at modules named `tasks`.
"""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

MARKER_PREFIX = "tongxin:worker-ping:"
MARKER_SECONDS = 600


def marker_key(token: str) -> str:
    return MARKER_PREFIX + token


@shared_task(name="congress.health.ping", ignore_result=True)
def ping(token: str) -> None:
    cache.set(marker_key(token), timezone.now().isoformat(), timeout=MARKER_SECONDS)
