"""Face-to-face sessions (面对面督办测评): a meeting of the handling units, the deputies and the
standing-committee members, its agenda of items, and the ratings collected there on phones.

The ratings themselves are ordinary `Rating` rows (`via=session`), written by the same
evaluation services as everywhere else; the session only decides which items are rated and
when rating is open.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FaceToFaceSession(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for rating")
        CLOSED = "closed", _("Closed")

    # Rating opens at the meeting and closes when it ends; a closed session never reopens, so
    # what was collected there is final.
    TRANSITIONS = {
        State.PLANNED: (State.OPEN,),
        State.OPEN: (State.CLOSED,),
        State.CLOSED: (),
    }

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Title"), max_length=200)
    starts_at = models.DateTimeField(_("Date and time"))
    place = models.CharField(_("Place"), max_length=200)
    units = models.ManyToManyField("congress.Unit", verbose_name=_("Units attending"), blank=True, related_name="+")
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("Deputies invited"), blank=True, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Standing committee members invited"), blank=True,
        related_name="+",
    )
    state = models.CharField(_("State"), max_length=8, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Face-to-face session")
        verbose_name_plural = _("Face-to-face sessions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["body", "state"], name="f2f_session_body_state")]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """One answering unit's handling of one proposal, discussed at the session in this order."""

    session = models.ForeignKey(FaceToFaceSession, on_delete=models.CASCADE, related_name="agenda")
    assignment = models.ForeignKey(
        "suggestions.Assignment", verbose_name=_("Assignment"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("Order"))
    # The handling round the session rates: set when the item is added and again when rating
    # opens, so the results still show that round after a later re-handling.
    round = models.PositiveSmallIntegerField(_("Round"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Agenda item")
        verbose_name_plural = _("Agenda items")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "assignment"], name="agenda_item_once_per_session"),
        ]

    def __str__(self):
        return f"{self.session_id}#{self.position}"
