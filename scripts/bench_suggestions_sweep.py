"""Run time and query count of each suggestions reminder sweep at N open assignments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin DEBUG=1 \
        .venv/bin/python scripts/bench_suggestions_sweep.py 10000 [100000 ...]

A benchmark, not a test. For each N it builds a throw-away test database on the configured
DATABASE_URL's server, bulk-inserts N open assignments (one proposal each) spread over
20 units and 200 days of assignment dates — most being handled, some replied and awaiting the
deputy's rating, some co-handlers, some unsatisfied and awaiting a re-handling order, with dated
commitments and recess proposals awaiting assignment — then runs every sweep once and a second
time (which must write nothing: the inbox keys of the first run are already there), printing
candidates, notifications written, seconds and SQL queries. The database
(`test_tongxin_bench_suggestions`) is dropped at the end.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

UNITS = 20
BATCH = 5000


def build(n: int, today: datetime.date) -> None:
    from congress.models.accounts import Role
    from suggestions.models import Assignment, Commitment, Proposal, Reply, ReplyClass
    from suggestions.services import ensure_defaults
    from tests.factories.congress import BodyFactory, DistrictFactory, TermFactory, UnitFactory, user_with_role
    from tests.factories.deputies import DeputyFactory

    district = DistrictFactory()
    body = BodyFactory(region=district)
    term = TermFactory(body=body)
    ensure_defaults(body)
    reply_class = ReplyClass.objects.get(body=body, code="B")
    units = [UnitFactory(region=district, name=f"单位{index:02d}") for index in range(UNITS)]
    for index, unit in enumerate(units):
        for officer in range(2):
            user_with_role(Role.UNIT_OFFICER, username=f"officer_{index}_{officer}", unit=unit)
    for index in range(3):
        user_with_role(Role.STAFF_CLERK, username=f"clerk_{index}", body=body)
    deputies = [
        DeputyFactory(body=body, term=term, user=user_with_role(Role.DEPUTY, username=f"deputy_{index}", body=body))
        for index in range(50)
    ]
    staff = user_with_role(Role.STAFF_ADMIN, username="bench_admin", body=body)

    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                body=body, term=term, title=f"建议{index}", content="内容", lead_deputy=deputies[index % 50],
                state=Proposal.State.HANDLING, received_on=today - datetime.timedelta(days=index % 200),
            )
            for index in range(n)
        ],
        batch_size=BATCH,
    )
    # Recess proposals awaiting assignment, one per hundred, some of them past their deadline.
    Proposal.objects.bulk_create(
        [
            Proposal(
                body=body, term=term, title=f"闭会建议{index}", content="内容", lead_deputy=deputies[index % 50],
                state=Proposal.State.SUBMITTED, received_on=today - datetime.timedelta(days=index % 14),
                intake_due=today + datetime.timedelta(days=(index % 6) - 3),
            )
            for index in range(n // 100)
        ],
        batch_size=BATCH,
    )
    assignments = []
    for index, proposal in enumerate(proposals):
        assigned_on = today - datetime.timedelta(days=index % 200)
        kind = index % 20
        fields = {
            "proposal": proposal, "unit": units[index % UNITS], "assigned_on": assigned_on, "assigned_by": staff,
            "objection_due": assigned_on + datetime.timedelta(days=9),
            "max_due": assigned_on + datetime.timedelta(days=183),
            "role": Assignment.Role.LEAD, "state": Assignment.State.HANDLING,
            "reply_due": assigned_on + datetime.timedelta(days=91),
        }
        if kind == 0:  # a co-handler whose opinion is due
            fields.update(role=Assignment.Role.CO, reply_due=None,
                          co_opinion_due=assigned_on + datetime.timedelta(days=61))
        elif kind in (1, 2):  # replied, awaiting the deputy's rating
            replied_on = today - datetime.timedelta(days=index % 21)
            fields.update(state=Assignment.State.REPLIED, replied_on=replied_on,
                          rating_due=replied_on + datetime.timedelta(days=21),
                          rating_status=Assignment.RatingStatus.PENDING)
        elif kind == 3:  # rated unsatisfied, waiting for the re-handling order
            fields.update(state=Assignment.State.EVALUATED, rating_status=Assignment.RatingStatus.RATED,
                          rehandling_order_due=today + datetime.timedelta(days=index % 2))
        elif kind == 4:  # just assigned: the objection window closes today or tomorrow
            fields.update(state=Assignment.State.ASSIGNED, assigned_on=today - datetime.timedelta(days=8),
                          objection_due=today + datetime.timedelta(days=index % 2))
        assignments.append(Assignment(**fields))
    assignments = Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    replied = [a for a in assignments if a.state == Assignment.State.REPLIED]
    replies = Reply.objects.bulk_create(
        [Reply(assignment=a, round=1, text="答复", reply_class=reply_class, officer="科长", submitted_by=staff)
         for a in replied],
        batch_size=BATCH,
    )
    Commitment.objects.bulk_create(
        [Commitment(reply=reply, text="承诺", due_on=today + datetime.timedelta(days=(index % 40) - 30))
         for index, reply in enumerate(replies)],
        batch_size=BATCH,
    )


def run(n: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from congress.models import Notification
    from suggestions.models import Assignment
    from suggestions.services import reminders

    today = timezone.localdate()
    started = time.perf_counter()
    build(n, today)
    open_count = Assignment.objects.filter(state__in=Assignment.ACTIVE_STATES).count()
    print(f"\nN={n}: built {Assignment.objects.count()} assignments ({open_count} open) "
          f"in {time.perf_counter() - started:.1f} s")
    print(f"{'sweep':<20}{'run':>4}{'candidates':>12}{'notifications':>15}{'seconds':>10}{'queries':>9}")
    for run_number in (1, 2):
        for kind in reminders.Kind:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = reminders.sweep(kind, today=today)
                elapsed = time.perf_counter() - started
            print(f"{kind.value:<20}{run_number:>4}{result['candidates']:>12}{result['notifications']:>15}"
                  f"{elapsed:>10.2f}{len(queries.captured_queries):>9}")
            if run_number == 2 and result["notifications"]:
                raise SystemExit(f"the second {kind.value} sweep wrote {result['notifications']} notifications")
    print(f"inbox: {Notification.objects.count()} notifications")


def main() -> int:
    sizes = [int(argument) for argument in sys.argv[1:]] or [10000]

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("warning: DATABASE_URL is not PostgreSQL; the figures will not be representative", file=sys.stderr)
    setup_test_environment()
    # A database of its own, so that a test run using the usual test database is not disturbed.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_tongxin_bench_suggestions"
    for n in sizes:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            run(n)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
