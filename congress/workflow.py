"""The one way a workflow object changes state, and the event row that records it.

A workflow model declares `STATE_FIELD` (default "state") and `TRANSITIONS`, a mapping from a
state to the states it may move to. `transition()` locks the row, checks that the move is in the
table and that the actor may make it, saves with `update_fields`, and writes the event in the same
transaction. Two racing transitions serialise on the row lock: the second one sees the new state
and fails with `StaleState` (PostgreSQL `SELECT ... FOR UPDATE`; on SQLite the settings make every
transaction IMMEDIATE, which takes the write lock at BEGIN).
"""

from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from congress.models import Event


class WorkflowError(Exception):
    """A refused workflow action; `code` is stable and the API returns it with `status`."""

    code = "workflow_error"
    status = 409
    default_message = _("The operation could not be completed.")

    def __init__(self, message=None, **params):
        self.message = message or self.default_message
        self.params = params
        super().__init__(str(self.message))


class IllegalTransition(WorkflowError):
    code = "illegal_transition"
    default_message = _("This action is not allowed in the current state.")


class StaleState(WorkflowError):
    code = "state_changed"
    default_message = _("Someone else has already handled this item; please refresh and try again.")


class TransitionForbidden(WorkflowError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to perform this action.")


def record_event(obj, *, actor, verb: str, note: str = "", from_state: str = "", to_state: str = "", data=None):
    """Append one row to `obj`'s timeline. Call inside the service's transaction."""
    return Event.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        note=note,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )


def allowed_targets(obj) -> set[str]:
    state_field = getattr(type(obj), "STATE_FIELD", "state")
    return set(type(obj).TRANSITIONS.get(getattr(obj, state_field), ()))


def transition(
    obj,
    *,
    to: str,
    actor,
    verb: str,
    note: str = "",
    allowed: Callable[[object, object], bool] | None = None,
    expected: str | Iterable[str] | None = None,
    changes: dict | None = None,
    data: dict | None = None,
):
    """Move `obj` to state `to` and return the locked, saved instance.

    `expected` is the state the caller saw (for example the state shown on the page the user
    acted on); if the row has moved on since, the call fails with `StaleState` instead of acting
    on a state the user never saw. `changes` are further field values saved in the same write.
    """
    model = type(obj)
    state_field = getattr(model, "STATE_FIELD", "state")
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, state_field)
        if expected is not None:
            expected_states = {expected} if isinstance(expected, str) else set(expected)
            if current not in expected_states:
                raise StaleState()
        if to not in model.TRANSITIONS.get(current, ()):
            raise IllegalTransition(from_state=current, to_state=to)
        if allowed is not None and not allowed(actor, locked):
            raise TransitionForbidden()
        setattr(locked, state_field, to)
        update_fields = [state_field]
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        record_event(locked, actor=actor, verb=verb, note=note, from_state=current, to_state=to, data=data)
    # Callers keep using the object they hold: bring it up to date.
    for field in update_fields:
        setattr(obj, field, getattr(locked, field))
    return locked
