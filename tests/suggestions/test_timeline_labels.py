"""Every event the suggestions services write reads as a Chinese sentence on the timelines: the
console's (proposals, assignments, face-to-face sessions) and the deputy's (proposals and
assignments), never as a raw verb."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from suggestions.models import Proposal
from suggestions.templatetags.suggestions_console import event_label
from suggestions.timeline import VERBS
from suggestions.views.portal import VERB_LABELS

SERVICES = Path(__file__).resolve().parents[2] / "suggestions" / "services"
# Events of an extension request live on the Extension row and are shown on no timeline.
NOT_ON_TIMELINES = {"requested"}
SESSION_ONLY = {"session_created", "session_updated", "agenda_item_added", "agenda_item_removed", "session_opened",
                "session_closed"}


# Written through a variable (services.evaluation.assignment_close); `proposal_<state>` verbs
# (services.handling.advance_proposal) are labelled from the state, checked below.
INDIRECT = {"not_rated", "closed"}


def _written_verbs() -> set[str]:
    verbs = set(INDIRECT)
    for module in SERVICES.glob("*.py"):
        verbs |= set(re.findall(r'verb="(\w+)"', module.read_text()))
    return verbs - NOT_ON_TIMELINES


def test_every_verb_written_has_a_console_label_and_the_deputy_timeline_has_the_proposal_ones():
    verbs = _written_verbs()
    assert {"rated", "session_opened", "placed_on_session_agenda", "not_rated", "closed"} <= verbs
    assert verbs - set(VERBS) == set()
    assert verbs - SESSION_ONLY - set(VERB_LABELS) == set()


@pytest.mark.parametrize("verb", sorted({*VERBS, *(f"proposal_{state}" for state in Proposal.State.values)}))
def test_console_labels_are_chinese(verb):
    with translation.override("zh-hans"):
        label = event_label(verb)
    assert "_" not in label and re.search(r"[\u4e00-\u9fff]", label), label
