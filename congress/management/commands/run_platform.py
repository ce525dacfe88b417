"""Run the whole embedded platform in one terminal: the web server and one Celery worker with its
embedded beat, on the filesystem broker. `make run` calls this after migrating and seeding.

Each child runs in its own process group, so that Ctrl-C reaches only this supervisor, which then
stops both children in order (a second Ctrl-C in Celery would skip its warm shutdown). If either
child dies, the other is stopped and the command exits non-zero: a half-running platform, a web
server whose reminders never go out, is worse than none.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congress.management.commands.seed_demo import LOGINS_FILE

STOP_SECONDS = 15


class Command(BaseCommand):
    help = "Run the web server and a Celery worker with embedded beat together; Ctrl-C stops both."
    requires_system_checks = []  # runserver runs them in its own process

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--noreload", action="store_true", help="Do not restart the web server on code changes.")

    def handle(self, *args, host, port, noreload, **options):
        if not settings.DEBUG:
            self.stderr.write("DEBUG is off: runserver will not serve static files. Use gunicorn in production.")
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "web": [*manage, "runserver", f"{host}:{port}", *(["--noreload"] if noreload else [])],
            # --pool=solo: the filesystem broker and SQLite want one process; -B: the embedded beat
            # (exactly one beat may run per installation).
            "worker": [sys.executable, "-m", "celery", "-A", "congress", "worker", "-B"]
            + ["--pool=solo", "--concurrency=1", "--loglevel=INFO", "--hostname=tongxin@%h"],
        }
        self.stop_requested = False
        signal.signal(signal.SIGINT, self._request_stop)
        signal.signal(signal.SIGTERM, self._request_stop)

        children = {}
        try:
            for name, command in commands.items():
                children[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603
            self._announce(host, port, children)
            failed = self._watch(children)
        finally:
            self._stop(children)
        if failed:
            name, code = failed
            raise CommandError(f"The {name} process exited (code {code}); the platform was stopped.")
        self.stdout.write("Stopped the web server and the worker.")

    def _request_stop(self, signum, frame):
        self.stop_requested = True

    def _watch(self, children):
        """Wait until a stop is requested (None) or a child exits ((name, exit code))."""
        while not self.stop_requested:
            for name, process in children.items():
                code = process.poll()
                if code is not None:
                    return name, code
            time.sleep(0.3)
        return None

    def _announce(self, host, port, children):
        # Print the address once the server answers, so that it is not lost in the start-up logs.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.stop_requested:
            if any(process.poll() is not None for process in children.values()):
                return
            try:
                with socket.create_connection((host, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            return
        lines = ["", f"Tongxin is running at http://{host}:{port}/  (console: /console/, API: /api/v1/docs/)"]
        logins = settings.VAR_DIR / LOGINS_FILE
        if logins.exists():
            lines.append(logins.read_text(encoding="utf-8").rstrip())
        lines.append("Press Ctrl-C to stop the web server and the worker.\n")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
        self.stdout.flush()

    def _stop(self, children):
        for process in children.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in children.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            # runserver's autoreloader leaves its serving child in the group: end it too.
            _signal_group(process, signal.SIGKILL)


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
