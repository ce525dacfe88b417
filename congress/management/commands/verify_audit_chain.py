"""Verify the audit trail's hash chain (SECURITY S21); exits 1 when anything was tampered with.

`--seal` first seals every row written so far (without the beat task's lag), so that a verification
right after a burst of activity covers it too. Without it the command only reads.
"""

from django.core.management.base import BaseCommand, CommandError

from congress import audit_chain
from congress.models import AuditChainHead


class Command(BaseCommand):
    help = "Recompute the audit hash chain and report altered, deleted or unsealed rows."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="seal pending rows before verifying")

    def handle(self, *args, seal=False, **options):
        if seal:
            for stream, count in audit_chain.seal_all(lag_seconds=0).items():
                self.stdout.write(f"{stream}: {count} rows sealed")
        problems = audit_chain.verify_all()
        for head in AuditChainHead.objects.order_by("stream"):
            self.stdout.write(f"{head.stream}: {head.sealed_count} rows sealed through #{head.last_entry_id}")
        if problems:
            for problem in problems[:200]:
                self.stderr.write(str(problem))
            raise CommandError(f"audit chain: {len(problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS("audit chain intact"))
