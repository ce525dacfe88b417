"""Query count and time of the console roster at 50 and 500 deputies per page.

    DEBUG=1 .venv/bin/python scripts/bench_deputies_roster.py [--deputies 669]

Builds a throw-away test database (the configured DATABASE_URL's, prefixed `test_`), fills it with
district and township deputies spread over two towns with constituencies and delegations, logs in a
staff clerk and asks for the roster page with `per_page=50` and `per_page=500`, printing the number
of SQL queries and the time of each request. The database is dropped at the end.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deputies", type=int, default=669, help="deputies to create (default 669, the demo size)")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
    from django.urls import reverse

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from congress.models.accounts import Role
        from tests.factories.congress import (
            BodyFactory,
            DistrictFactory,
            TermFactory,
            TownFactory,
            TownshipBodyFactory,
            user_with_role,
        )
        from tests.factories.deputies import ConstituencyFactory, DelegationFactory, DeputyFactory

        district = DistrictFactory()
        district_body = BodyFactory(region=district)
        TermFactory(body=district_body)
        towns = [TownFactory(parent=district, code=f"35021200{n}", name=f"镇{n}") for n in (1, 2)]
        township_bodies = [TownshipBodyFactory(region=town, parent=district_body) for town in towns]
        constituencies = [
            ConstituencyFactory(body=district_body, number=n + 1, region=town) for n, town in enumerate(towns)
        ]
        delegations = [
            DelegationFactory(body=district_body, name=f"代表团{n}", region=town) for n, town in enumerate(towns)
        ]
        district_count = arguments.deputies // 3
        for index in range(district_count):
            DeputyFactory(
                body=district_body, constituency=constituencies[index % 2], delegation=delegations[index % 2],
                is_standing_committee_member=index % 10 == 0,
            )
        for index in range(arguments.deputies - district_count):
            DeputyFactory(body=township_bodies[index % 2])
        clerk = user_with_role(Role.STAFF_CLERK, username="bench_clerk", body=district_body)

        client = Client()
        client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("console:deputies:roster")
        client.get(url)  # warm caches (content types, templates)
        print(f"deputies in the roster: {arguments.deputies}")
        for per_page in (50, 500):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, {"per_page": per_page, "status": "all"})
                elapsed = time.perf_counter() - started
            shown = len(response.context["page_obj"])
            assert response.status_code == 200, response.status_code
            print(
                f"per_page={per_page:>3}: {shown:>3} rows, {len(queries.captured_queries):>2} queries, "
                f"{elapsed * 1000:.0f} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    sys.exit(main())
