"""Integrity of a database after a restore (SECURITY S24).

Before the dump (or from the nightly job that makes it): `check_integrity --snapshot FILE` seals
the audit trail and writes each table's row count and each audit chain head to FILE. After the
restore, on the restored database: `check_integrity --against FILE` compares the counts and heads
and verifies the audit chain. Exit status 1 on any difference. docs/operations.md has the steps.
"""

import json
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from congress import audit_chain
from congress.models import AuditChainHead

CHECKED_APPS = ("congress", "deputies", "suggestions", "supervision", "contact_stations", "auditlog")


def take_snapshot() -> dict:
    counts = {
        model._meta.label_lower: model._base_manager.count()
        for label in CHECKED_APPS
        for model in apps.get_app_config(label).get_models()
    }
    heads = {
        head.stream: {"last_entry_id": head.last_entry_id, "last_digest": head.last_digest}
        for head in AuditChainHead.objects.order_by("stream")
    }
    return {"counts": counts, "audit_heads": heads}


def differences(expected: dict, actual: dict) -> list[str]:
    found = []
    for table, count in sorted(expected["counts"].items()):
        restored = actual["counts"].get(table)
        if restored != count:
            found.append(f"{table}: {count} rows expected, {restored} found")
    for stream, head in sorted(expected["audit_heads"].items()):
        if actual["audit_heads"].get(stream) != head:
            found.append(f"audit chain {stream}: head differs from the snapshot")
    return found


class Command(BaseCommand):
    help = "Write a row-count and audit-chain snapshot, or check a restored database against one."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--snapshot", metavar="FILE", help="seal the audit trail and write the snapshot")
        group.add_argument("--against", metavar="FILE", help="compare this database with a snapshot")

    def handle(self, *args, snapshot=None, against=None, **options):
        if snapshot:
            # Taken for a dump: every row written so far is sealed, however young.
            audit_chain.seal_all(lag_seconds=0)
            Path(snapshot).write_text(json.dumps(take_snapshot(), indent=1, sort_keys=True))
            self.stdout.write(self.style.SUCCESS(f"snapshot written to {snapshot}"))
            return
        try:
            expected = json.loads(Path(against).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the snapshot {against}: {error}") from error
        problems = differences(expected, take_snapshot())
        problems += [str(problem) for problem in audit_chain.verify_all()]
        for problem in problems[:200]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"integrity check: {len(problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS("restored database matches the snapshot; audit chain intact"))
