"""A real Celery worker, on the configured broker, against the test database.

Everything else runs tasks eagerly; this test proves the wiring the eager mode hides: the message
goes through the broker (kombu's filesystem transport locally, Redis in CI), a separate worker
process picks it up, reads the row the test committed and writes its outcome back.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from congress.models import Delivery
from congress.notifications.services import notify
from tests.factories.congress import UserFactory

WORKER_TIMEOUT = 90  # seconds; a cold worker start plus one task takes a few


def _database_url() -> str:
    """The URL of the database this test runs against (the test database, not the real one)."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{database['NAME']}"


@pytest.fixture
def worker(celery_eager, transactional_db):
    """Start `celery -A congress worker` with the test's database; stop it afterwards."""
    celery_eager.conf.task_always_eager = False
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "congress.settings"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(  # noqa: S603  (a fixed command line, no shell)
            [
                sys.executable, "-m", "celery", "-A", "congress", "worker",
                "--pool=solo", "--concurrency=1", "-Q", "celery", "--loglevel=INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", f"test-worker-{os.getpid()}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process, log
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-5000:]


@pytest.mark.worker
def test_a_real_worker_sends_an_urgent_notification_enqueued_after_commit(worker):
    process, log = worker
    person = UserFactory(username="worker_target", email="worker@example.cn", phone="13812345678")

    # Autocommit: notify() commits, and its on_commit hook publishes the task to the broker.
    (notification,) = notify(recipients=[person], kind="overdue", title="Overdue reply", urgent=True)

    deadline = time.monotonic() + WORKER_TIMEOUT
    sent = set()
    while time.monotonic() < deadline:
        sent = set(
            Delivery.objects.filter(notifications=notification, status=Delivery.Status.SENT).values_list(
                "channel", flat=True
            )
        )
        if sent == {"email", "sms"}:
            break
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{_output(log)}")
        time.sleep(0.5)
    else:
        pytest.fail(f"no worker sent the notification within {WORKER_TIMEOUT} s:\n{_output(log)}")

    assert sent == {"email", "sms"}
    output = _output(log)
    assert "congress.tasks.send_urgent_notification" in output
    # The worker's SMS log line carries the masked number only.
    assert "138****5678" in output
    assert "13812345678" not in output
