"""Dialogue series (半月谈, 季度议), the dialogues held, and their outcomes.

An outcome becomes a topic proposal (staff) or a suggestion draft. Only a deputy files a
suggestion from their own account (`suggestions.permissions.can_file`), so the office names the
deputy who takes the outcome up and that deputy turns it into a draft from the portal; the
outcome keeps a link to whatever it became.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body, Committee, Unit
from congress.notifications.services import notify
from congress.workflow import record_event, transition
from deputies.models import ActivityKind, Deputy
from deputies.services import record_duty_activity
from suggestions.services.intake import proposal_file
from supervision import permissions
from supervision.models import Dialogue, DialogueOutcome, DialogueSeries, TopicProposal
from supervision.services.common import forbid_unless
from supervision.services.solicitation import proposal_submit_by_staff


@transaction.atomic
def dialogue_series_create(
    *, actor, body: Body, name: str, format: str, year: int, committee: Committee | None = None
) -> DialogueSeries:
    forbid_unless(permissions.is_staff_for(actor, body))
    if format not in DialogueSeries.Format.values:
        raise ValidationError({"format": _("Choose a format.")})
    series = DialogueSeries.objects.create(body=body, name=name, format=format, year=year, committee=committee)
    record_event(series, actor=actor, verb="created")
    return series


@transaction.atomic
def dialogue_plan(
    *, actor, series: DialogueSeries, theme: str, unit: Unit, date: datetime.date, committee: Committee | None = None,
    deputies: Iterable[Deputy] = (),
) -> Dialogue:
    forbid_unless(permissions.is_staff_for(actor, series.body))
    if not (theme or "").strip():
        raise ValidationError({"theme": _("Give the dialogue a theme.")})
    dialogue = Dialogue.objects.create(series=series, theme=theme.strip()[:200], unit=unit, date=date,
                                       committee=committee or series.committee)
    dialogue.deputies.set(list(deputies))
    record_event(dialogue, actor=actor, verb="planned", to_state=dialogue.state)
    return dialogue


@transaction.atomic
def dialogue_hold(*, actor, dialogue: Dialogue, record: str, deputies: Iterable[Deputy] | None = None) -> Dialogue:
    """Record that the dialogue took place; each attending deputy's duty record gets it, once."""
    forbid_unless(permissions.is_staff_for(actor, dialogue.series.body))
    if deputies is not None:
        dialogue.deputies.set(list(deputies))
    dialogue = transition(dialogue, to=Dialogue.State.HELD, actor=actor, verb="held", changes={"record": record})
    for deputy in dialogue.deputies.filter(status=Deputy.Status.SERVING):
        record_duty_activity(deputy=deputy, kind=ActivityKind.DIALOGUE, date=dialogue.date, title=dialogue.theme,
                             source_object=dialogue, actor=actor)
    return dialogue


@transaction.atomic
def dialogue_outcome_add(*, actor, dialogue: Dialogue, text: str, deputy: Deputy | None = None) -> DialogueOutcome:
    """Record an outcome; naming a deputy asks them to take it up as a suggestion."""
    forbid_unless(permissions.is_staff_for(actor, dialogue.series.body))
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe the outcome.")})
    outcome = DialogueOutcome.objects.create(dialogue=dialogue, text=text.strip(), deputy=deputy)
    record_event(dialogue, actor=actor, verb="outcome_added", data={"outcome": outcome.pk})
    if deputy is not None and deputy.user_id:
        notify(recipients=[deputy.user_id], kind="supervision.dialogue_outcome",
               title=_("An outcome of the dialogue “%(theme)s” was passed to you to take up as a suggestion")
               % {"theme": dialogue.theme}, dedupe_key=f"dialogue-outcome:{outcome.pk}")
    return outcome


def _lock_open_outcome(outcome: DialogueOutcome) -> DialogueOutcome:
    locked = DialogueOutcome.objects.select_for_update().select_related("dialogue__series__body").get(pk=outcome.pk)
    if locked.suggestion_id or locked.topic_proposal_id:
        raise ValidationError(_("This outcome has already been taken up."), code="already_taken_up")
    return locked


@transaction.atomic
def dialogue_outcome_to_topic_proposal(*, actor, outcome: DialogueOutcome, title: str, year: int) -> TopicProposal:
    outcome = _lock_open_outcome(outcome)
    dialogue = outcome.dialogue
    proposal = proposal_submit_by_staff(
        actor=actor, body=dialogue.series.body, year=year, title=title, necessity=outcome.text,
        channel=TopicProposal.Channel.DEPUTY_SUGGESTION, committee=dialogue.committee,
    )
    DialogueOutcome.objects.filter(pk=outcome.pk).update(topic_proposal=proposal)
    record_event(dialogue, actor=actor, verb="outcome_to_topic_proposal",
                 data={"outcome": outcome.pk, "proposal": proposal.pk})
    return proposal


@transaction.atomic
def dialogue_outcome_to_suggestion(*, actor, outcome: DialogueOutcome, deputy: Deputy, title: str, content: str = ""):
    """The deputy named on the outcome files a suggestion draft from it (through the suggestions
    app's own service, which checks that the actor is that deputy)."""
    outcome = _lock_open_outcome(outcome)
    if outcome.deputy_id and outcome.deputy_id != deputy.pk:
        raise ValidationError(_("This outcome was passed to another deputy."))
    draft = proposal_file(actor=actor, lead_deputy=deputy, title=title, content=content or outcome.text)
    DialogueOutcome.objects.filter(pk=outcome.pk).update(suggestion=draft, deputy=deputy)
    record_event(outcome.dialogue, actor=actor, verb="outcome_to_suggestion",
                 data={"outcome": outcome.pk, "suggestion": draft.pk, "at": timezone.now().isoformat()})
    return draft
