"""The audit trail is hash-chained and a verifier finds tampering (SECURITY S21, S24)."""

# The backup round trip runs PostgreSQL's own client programs with arguments from the settings.
# ruff: noqa: S603, S607

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from congress import audit_chain
from congress.models import AuditChainHead, AuditSeal, Event
from congress.workflow import record_event
from tests.factories.congress import UnitFactory

pytestmark = pytest.mark.django_db


def audited_activity(count=3):
    units = UnitFactory.create_batch(count)
    for unit in units:
        unit.name = f"{unit.name}（改）"
        unit.save()
        record_event(unit, actor=None, verb="renamed")
    return units


def backdate(event, when):
    # Events refuse ORM updates on purpose; a test that ages one goes through SQL, as a tamperer would.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Event._meta.db_table} SET created_at = %s WHERE id = %s", [when, event.pk])  # noqa: S608


def kinds(problems):
    return sorted({problem.kind for problem in problems})


def test_sealed_trail_of_real_activity_verifies_intact():
    audited_activity()
    sealed = audit_chain.seal_all(lag_seconds=0)
    assert sealed["auditlog"] == LogEntry.objects.count() > 0
    assert sealed["event"] == Event.objects.count() == 3
    assert audit_chain.verify_all() == []
    head = AuditChainHead.objects.get(stream="event")
    assert head.last_entry_id == Event.objects.order_by("pk").last().pk
    assert head.last_digest == AuditSeal.objects.filter(stream="event").order_by("entry_id").last().digest


def test_second_run_seals_nothing_and_rows_younger_than_the_lag_wait():
    audited_activity(1)
    assert audit_chain.seal_stream("event") == 0  # written just now: younger than the lag
    assert audit_chain.seal_stream("event", lag_seconds=0) == 1
    assert audit_chain.seal_stream("event", lag_seconds=0) == 0
    assert AuditSeal.objects.filter(stream="event").count() == 1


def test_altered_audit_row_is_reported():
    audited_activity()
    audit_chain.seal_all(lag_seconds=0)
    entry = LogEntry.objects.order_by("pk")[1]
    LogEntry.objects.filter(pk=entry.pk).update(object_repr="someone else")
    problems = audit_chain.verify_stream("auditlog")
    assert [(problem.kind, problem.entry_id) for problem in problems] == [("altered", entry.pk)]


def test_deleted_audit_row_is_reported():
    audited_activity()
    audit_chain.seal_all(lag_seconds=0)
    entry = LogEntry.objects.order_by("pk").last()
    LogEntry.objects.filter(pk=entry.pk).delete()
    assert [(problem.kind, problem.entry_id) for problem in audit_chain.verify_stream("auditlog")] == [
        ("deleted", entry.pk)
    ]


def test_forged_seal_breaks_the_chain():
    audited_activity()
    audit_chain.seal_all(lag_seconds=0)
    seal = AuditSeal.objects.filter(stream="event").order_by("entry_id").first()
    # Someone edits an event through SQL and then recomputes its seal: the next seal no longer follows.
    AuditSeal.objects.filter(pk=seal.pk).update(digest="0" * 64)
    assert "seal_broken" in kinds(audit_chain.verify_stream("event"))


def test_row_left_behind_by_a_late_commit_is_reported_as_unsealed():
    units = audited_activity(3)
    events = list(Event.objects.order_by("pk"))
    # The middle event is "young" (its transaction committed late); the sealer passes over it.
    now = timezone.now()
    for event, age in zip(events, (600, 0, 600), strict=True):
        backdate(event, now - timedelta(seconds=age))
    assert audit_chain.seal_stream("event", now=now) == 2
    problems = audit_chain.verify_stream("event")
    assert [(problem.kind, problem.entry_id) for problem in problems] == [("unsealed", events[1].pk)]
    assert len(units) == 3


@pytest.mark.parametrize("rows", [250, 1000])
def test_sealing_costs_a_fixed_number_of_queries_per_batch(rows, django_assert_max_num_queries):
    unit = UnitFactory()
    unit_type = ContentType.objects.get_for_model(unit)
    Event.objects.bulk_create([Event(content_type=unit_type, object_id=str(unit.pk), verb="x") for _ in range(rows)])
    batches = -(-rows // 100)
    with django_assert_max_num_queries(10 * batches + 10):
        assert audit_chain.seal_stream("event", batch_size=100, lag_seconds=0) == rows


def test_purge_keeps_184_days_and_what_remains_still_verifies():
    audited_activity(3)
    old, young = list(Event.objects.order_by("pk"))[:2]
    backdate(old, timezone.now() - timedelta(days=200))
    audit_chain.seal_all(lag_seconds=0)
    with pytest.raises(ValueError):
        audit_chain.purge_before(older_than_days=30)
    assert audit_chain.purge_before(older_than_days=184)["event"] == 1
    assert list(Event.objects.values_list("pk", flat=True)) == [young.pk] + list(
        Event.objects.filter(pk__gt=young.pk).values_list("pk", flat=True)
    )
    assert audit_chain.verify_all() == []
    # Removing the oldest remaining row and its seal (a purge of young rows) is detected.
    AuditSeal.objects.filter(stream="event", entry_id=young.pk).delete()
    Event.objects.filter(pk=young.pk)._raw_delete(connection.alias)
    assert "seal_broken" in kinds(audit_chain.verify_stream("event"))


def test_verify_command_fails_on_tampering_and_passes_when_intact(capsys):
    audited_activity()
    call_command("verify_audit_chain", "--seal")
    assert "audit chain intact" in capsys.readouterr().out
    LogEntry.objects.filter(pk=LogEntry.objects.order_by("pk").first().pk).update(remote_addr="10.0.0.9")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit_chain")


def test_integrity_check_compares_counts_and_chain_heads(tmp_path):
    audited_activity()
    snapshot = tmp_path / "snapshot.json"
    call_command("check_integrity", "--snapshot", str(snapshot))
    counts = json.loads(snapshot.read_text())["counts"]
    assert counts["congress.unit"] == 3 and counts["congress.event"] == 3
    call_command("check_integrity", "--against", str(snapshot))
    UnitFactory()  # the restored database differs from the dump
    with pytest.raises(CommandError, match="problem"):
        call_command("check_integrity", "--against", str(snapshot))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the documented backup path is pg_dump/pg_restore")
def test_pg_dump_and_restore_round_trip_passes_the_integrity_check(tmp_path):
    audited_activity()
    snapshot, dump = tmp_path / "snapshot.json", tmp_path / "tongxin.dump"
    call_command("check_integrity", "--snapshot", str(snapshot))
    source = settings.DATABASES["default"]
    target = f"{source['NAME']}_restored"
    conn = ["-h", source.get("HOST") or "127.0.0.1", "-p", str(source.get("PORT") or 5432), "-U", source["USER"]]
    subprocess.run(["pg_dump", *conn, "-Fc", "-f", str(dump), source["NAME"]], check=True)
    subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)
    subprocess.run(["createdb", *conn, target], check=True)
    try:
        subprocess.run(["pg_restore", *conn, "--no-owner", "-d", target, str(dump)], check=True)
        url = f"postgres://{source['USER']}@{conn[1]}:{conn[3]}/{target}"
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
        manage = Path(settings.BASE_DIR) / "manage.py"
        result = subprocess.run(
            [sys.executable, str(manage), "check_integrity", "--against", str(snapshot)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "audit chain intact" in result.stdout
    finally:
        subprocess.run(["dropdb", *conn, "--if-exists", target], check=True)
