"""Build the demo district 同安区: its institution and one account per role (congress.demo), then
each app's demo data (`<app>.demo.build(demo)`), the same for a given `--seed`.

The seed refuses to run without DEBUG unless forced, and does nothing when the demo district is
already there. Without `--password` (or the DEMO_PASSWORD setting) every demo account gets one
random password that must be changed at first login (SECURITY S9: no default credentials). The
logins are printed and written to var/demo-logins.txt (readable by the owner only), from which
`manage.py run_platform` prints them again at every start.
"""

import importlib
import os
import secrets
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from congress.demo import DISTRICT_CODE, DISTRICT_NAME, DemoDistrict
from congress.models import Region, User

LOGINS_FILE = "demo-logins.txt"
# In this order: each app builds on what the apps before it added to the demo district.
DEMO_APPS = ("deputies", "contact_stations", "suggestions", "supervision")


def demo_builders():
    """(label, module) of every installed app in DEMO_APPS that has a `demo` module."""
    for label in DEMO_APPS:
        if not apps.is_installed(label):
            continue
        config = apps.get_app_config(label)
        if module_has_submodule(config.module, "demo"):
            yield label, importlib.import_module(f"{config.name}.demo")


class Command(BaseCommand):
    help = "Build the demo district 同安区: the institution, one account per role, and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed builds the same data.")
        parser.add_argument("--password", default="", help="Password of every demo account (default: random).")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database has any user.")
        parser.add_argument(
            "--institution-only", action="store_true", help="Build the institution and the accounts, no app data."
        )
        parser.add_argument(
            "--logins-file",
            default=str(settings.VAR_DIR / LOGINS_FILE),
            help="Where to write the demo logins (default: var/demo-logins.txt); '' writes none.",
        )

    def handle(self, *args, seed, password, force, if_empty, institution_only, logins_file, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo builds demo accounts: it refuses to run with DEBUG off (use --force).")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has users; the demo seed is skipped.")
            return
        if Region.objects.filter(code=DISTRICT_CODE).exists():
            self.stdout.write(f"The demo district {DISTRICT_NAME} ({DISTRICT_CODE}) already exists; nothing to do.")
            return
        try:
            import factory  # noqa: F401  (the seed is built on the test factories)
        except ImportError as error:
            raise CommandError(
                "seed_demo needs the development requirements (pip install -r requirements-dev.txt)."
            ) from error

        # A demo install is DEBUG-only and its password is random per machine unless chosen, so the
        # accounts are usable at once; production's first admin (SECURITY S9) is a different path.
        chosen = password or settings.DEMO_PASSWORD or secrets.token_urlsafe(9)
        started = time.monotonic()
        with transaction.atomic():
            demo = DemoDistrict(seed).build()
            logins = demo.accounts(password=chosen)
        self.stdout.write(self.style.SUCCESS(f"{demo.summary()} ({time.monotonic() - started:.1f} s)"))
        if not institution_only:
            for label, module in demo_builders():
                self._build_app(demo, label, module)
        self._report(logins, chosen, logins_file)

    def _build_app(self, demo, label, module):
        # One transaction per app: a failing app leaves the apps before it in place, and says so.
        before = dict(demo.counts)
        started = time.monotonic()
        demo.begin_app(label)
        try:
            with transaction.atomic():
                module.build(demo)
        except Exception as error:
            raise CommandError(
                f"The {label} demo data failed ({error!r}); the institution and the apps before it are built. "
                "Run `make reset-demo` to start again."
            ) from error
        added = ", ".join(
            f"{count} {name}" for name, count in demo.counts.items() if before.get(name) != count
        )
        self.stdout.write(self.style.SUCCESS(f"{label}: {added or 'nothing'} ({time.monotonic() - started:.1f} s)"))

    def _report(self, logins, password, logins_file):
        lines = ["Demo logins (username, password, role · scope):"]
        width = max(len(username) for username, _role, _scope in logins)
        lines += [f"  {username:<{width}}  {password}  {role} · {scope}" for username, role, scope in logins]
        text = "\n".join(lines)
        self.stdout.write(text)
        if not logins_file:
            return
        # The file holds passwords: create it readable by its owner only.
        descriptor = os.open(logins_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
