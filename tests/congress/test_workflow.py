"""The shared workflow helper: one way to change state, one event row per change (STYLE §2, SECURITY S5).

Tested on `tests.workflow_app.models.Ticket` (open → assigned → closed, assigned → open), a model
that exists only under pytest and has the shape of every workflow model of the platform.
"""

import threading
import time

import pytest
from django.db import connection

from congress import workflow
from congress.models import Event
from tests.workflow_app.models import Ticket

State = Ticket.State


def _events(ticket):
    return list(Event.objects.for_object(ticket))


@pytest.fixture
def ticket(db):
    return Ticket.objects.create(title="路灯不亮")


def test_allowed_transition_saves_the_state_and_writes_one_event(ticket, staff_clerk):
    before = ticket.updated_at

    result = workflow.transition(
        ticket,
        to=State.ASSIGNED,
        actor=staff_clerk,
        verb="assigned",
        note="交卫健局办理",
        changes={"handler": "卫健局"},
        data={"unit": 7},
    )

    row = Ticket.objects.get(pk=ticket.pk)
    assert row.state == State.ASSIGNED
    assert row.handler == "卫健局"
    assert row.updated_at > before
    # Both the returned instance and the caller's own object are brought up to date.
    assert result.state == ticket.state == State.ASSIGNED
    assert ticket.handler == "卫健局"
    [event] = _events(ticket)
    assert (event.actor, event.verb, event.from_state, event.to_state, event.note, event.data) == (
        staff_clerk,
        "assigned",
        State.OPEN,
        State.ASSIGNED,
        "交卫健局办理",
        {"unit": 7},
    )


def test_transition_writes_only_the_state_and_the_given_changes(ticket, staff_clerk):
    # Another request edits a field after we loaded the ticket; our stale copy must not undo it.
    Ticket.objects.filter(pk=ticket.pk).update(note="edited meanwhile")
    assert ticket.note == ""

    workflow.transition(ticket, to=State.ASSIGNED, actor=staff_clerk, verb="assigned")

    assert Ticket.objects.get(pk=ticket.pk).note == "edited meanwhile"


def test_illegal_transition_raises_409_and_changes_nothing(ticket, staff_clerk):
    workflow.transition(ticket, to=State.CLOSED, actor=staff_clerk, verb="closed")
    updated_at = Ticket.objects.get(pk=ticket.pk).updated_at

    with pytest.raises(workflow.IllegalTransition) as refused:
        workflow.transition(ticket, to=State.OPEN, actor=staff_clerk, verb="reopened", changes={"handler": "x"})

    assert refused.value.code == "illegal_transition"
    assert refused.value.status == 409
    assert refused.value.params == {"from_state": State.CLOSED, "to_state": State.OPEN}
    row = Ticket.objects.get(pk=ticket.pk)
    assert (row.state, row.handler, row.updated_at) == (State.CLOSED, "", updated_at)
    assert ticket.state == State.CLOSED
    assert [event.verb for event in _events(ticket)] == ["closed"]


def test_a_state_outside_the_table_is_illegal(ticket, staff_clerk):
    with pytest.raises(workflow.IllegalTransition):
        workflow.transition(ticket, to="solved", actor=staff_clerk, verb="solved")

    assert Ticket.objects.get(pk=ticket.pk).state == State.OPEN
    assert _events(ticket) == []


def test_forbidden_actor_is_refused_with_403_and_nothing_changes(ticket, unit_officer):
    seen = []

    def only_staff(actor, obj):
        seen.append((actor, obj.state))
        return False

    with pytest.raises(workflow.TransitionForbidden) as refused:
        workflow.transition(ticket, to=State.ASSIGNED, actor=unit_officer, verb="assigned", allowed=only_staff)

    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
    # The predicate judged the locked row, with the actor who asked.
    assert seen == [(unit_officer, State.OPEN)]
    assert Ticket.objects.get(pk=ticket.pk).state == State.OPEN
    assert ticket.state == State.OPEN
    assert _events(ticket) == []


def test_predicate_sees_the_current_row_not_the_callers_stale_copy(ticket, staff_clerk):
    stale = Ticket.objects.get(pk=ticket.pk)
    Ticket.objects.filter(pk=ticket.pk).update(handler="卫健局")
    handlers = []

    def record_handler(actor, obj):
        handlers.append(obj.handler)
        return True

    workflow.transition(stale, to=State.ASSIGNED, actor=staff_clerk, verb="assigned", allowed=record_handler)

    assert handlers == ["卫健局"]


def test_stale_expected_state_is_refused_even_when_the_move_would_be_legal(ticket, staff_clerk, staff_admin):
    page_copy = Ticket.objects.get(pk=ticket.pk)  # what the clerk's page showed: open
    workflow.transition(ticket, to=State.ASSIGNED, actor=staff_admin, verb="assigned")

    # assigned → closed is in the table, but the clerk acted on "open", which is gone.
    with pytest.raises(workflow.StaleState) as refused:
        workflow.transition(page_copy, to=State.CLOSED, actor=staff_clerk, verb="closed", expected=State.OPEN)

    assert (refused.value.code, refused.value.status) == ("state_changed", 409)
    assert Ticket.objects.get(pk=ticket.pk).state == State.ASSIGNED
    assert [event.verb for event in _events(ticket)] == ["assigned"]


def test_expected_accepts_several_states(ticket, staff_clerk):
    workflow.transition(
        ticket, to=State.CLOSED, actor=staff_clerk, verb="closed", expected=[State.OPEN, State.ASSIGNED]
    )

    assert Ticket.objects.get(pk=ticket.pk).state == State.CLOSED


def test_anonymous_actor_is_recorded_as_no_actor(ticket):
    from django.contrib.auth.models import AnonymousUser

    workflow.transition(ticket, to=State.ASSIGNED, actor=AnonymousUser(), verb="assigned")

    [event] = _events(ticket)
    assert event.actor is None


def test_allowed_targets_follow_the_table(ticket):
    assert workflow.allowed_targets(ticket) == {State.ASSIGNED, State.CLOSED}
    ticket.state = State.CLOSED
    assert workflow.allowed_targets(ticket) == set()


def test_record_event_appends_to_the_objects_timeline(ticket, staff_clerk):
    workflow.record_event(ticket, actor=staff_clerk, verb="commented", note="已电话联系")

    [event] = _events(ticket)
    assert (event.verb, event.note, event.from_state, event.to_state) == ("commented", "已电话联系", "", "")
    assert event.subject == ticket


@pytest.mark.parametrize(
    ("expected", "loser_error"),
    [(None, workflow.IllegalTransition), (State.OPEN, workflow.StaleState)],
    ids=["without-expected", "with-expected"],
)
@pytest.mark.django_db(transaction=True)
def test_two_racing_transitions_exactly_one_wins(expected, loser_error):
    """Two requests assign the same ticket at the same moment: one wins, the other loses cleanly.

    The winner holds the row for a moment inside its transaction (the slow predicate), so
    without the row lock (PostgreSQL) or the IMMEDIATE transaction (SQLite) both would read
    "open" and both would write.
    """
    ticket = Ticket.objects.create(title="并发")
    barrier = threading.Barrier(2)
    outcomes = []

    def slow_but_allowed(actor, obj):
        time.sleep(0.3)
        return True

    def assign(handler):
        try:
            mine = Ticket.objects.get(pk=ticket.pk)
            barrier.wait(timeout=10)
            workflow.transition(
                mine,
                to=State.ASSIGNED,
                actor=None,
                verb="assigned",
                expected=expected,
                allowed=slow_but_allowed,
                changes={"handler": handler},
            )
            outcomes.append(("won", handler))
        except workflow.WorkflowError as error:
            outcomes.append((type(error), handler))
        except Exception as error:  # surfaced by the assertion below
            outcomes.append((error, handler))
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    results = sorted(outcome for outcome, _handler in outcomes if outcome == "won")
    losers = [outcome for outcome, _handler in outcomes if outcome != "won"]
    assert results == ["won"], outcomes
    assert losers == [loser_error], outcomes
    winner = next(handler for outcome, handler in outcomes if outcome == "won")
    row = Ticket.objects.get(pk=ticket.pk)
    assert (row.state, row.handler) == (State.ASSIGNED, winner)
    [event] = _events(ticket)
    assert (event.from_state, event.to_state) == (State.OPEN, State.ASSIGNED)
