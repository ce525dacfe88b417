"""Two acceptances at once get distinct, consecutive numbers (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections

from suggestions import services
from suggestions.models import NumberSeries, Proposal

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_acceptances_at_once_get_distinct_consecutive_numbers(flow):
    proposals = [flow.submitted(), flow.submitted()]
    barrier = threading.Barrier(2)
    errors = []

    def accept(proposal):
        try:
            barrier.wait(timeout=10)
            services.proposal_accept(actor=flow.staff, proposal=proposal)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=accept, args=(proposal,)) for proposal in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    numbers = sorted(Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("number", flat=True))
    assert numbers == ["18-1-J-001", "18-1-J-002"]
    assert NumberSeries.objects.get().last_value == 2


def test_the_same_proposal_accepted_twice_at_once_is_numbered_once(flow):
    proposal = flow.submitted()
    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            barrier.wait(timeout=10)
            services.proposal_accept(actor=flow.staff, proposal=proposal)
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - the loser's error is the point
            outcomes.append(getattr(error, "code", repr(error)))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["illegal_transition", "ok"]
    # The loser's number was rolled back with it: no gap in the series.
    assert NumberSeries.objects.get().last_value == 1
