"""Send a ping through the broker and wait until a worker has run it: a health check for deployments
and the smoke test of the embedded default (filesystem broker, solo worker)."""

import secrets
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from congress.tasks_health import marker_key, ping


class Command(BaseCommand):
    help = "Send a ping task through the Celery broker and wait for a worker to run it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0, help="Seconds to wait for the worker (default 60).")

    def handle(self, *args, timeout, **options):
        token = secrets.token_hex(8)
        started = time.monotonic()
        ping.delay(token)
        while time.monotonic() - started < timeout:
            if cache.get(marker_key(token)) is not None:
                cache.delete(marker_key(token))
                self.stdout.write(f"A worker ran the ping in {time.monotonic() - started:.1f} s.")
                return
            time.sleep(0.25)
        raise CommandError(f"No worker ran the ping within {timeout:.0f} s: is `celery -A congress worker` running?")
