"""A ticket with a small state machine, the shape every workflow model of the platform has."""

from django.db import models


class Ticket(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "open"
        ASSIGNED = "assigned", "assigned"
        CLOSED = "closed", "closed"

    STATE_FIELD = "state"
    TRANSITIONS = {
        State.OPEN: (State.ASSIGNED, State.CLOSED),
        State.ASSIGNED: (State.OPEN, State.CLOSED),
        State.CLOSED: (),
    }

    title = models.CharField(max_length=100)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    handler = models.CharField(max_length=100, blank=True)
    # Not part of any transition: a save with update_fields must leave it as it is in the row.
    note = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.title
