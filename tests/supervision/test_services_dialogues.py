"""Dialogues, activities and letters: participation on the duty record, outcomes taken up."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.workflow import TransitionForbidden
from deputies.models import ActivityKind, DutyParticipation
from suggestions.models import Proposal
from supervision import selectors, services
from supervision.models import DialogueSeries, LetterVisit, SupervisionActivity, TopicProposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(district_body, staff_clerk, health_bureau, deputy):
    series = services.dialogue_series_create(actor=staff_clerk, body=district_body, name="半月谈",
                                             format=DialogueSeries.Format.HALF_MONTH, year=2027)
    return services.dialogue_plan(actor=staff_clerk, series=series, theme="基层医疗服务", unit=health_bureau,
                                  date=datetime.date(2027, 3, 15), deputies=[deputy])


def test_holding_a_dialogue_records_each_deputys_duty_once(dialogue, staff_clerk, deputy):
    services.dialogue_hold(actor=staff_clerk, dialogue=dialogue, record="纪要")

    participations = DutyParticipation.objects.filter(deputy=deputy, activity__kind=ActivityKind.DIALOGUE)
    assert participations.count() == 1


def test_an_outcome_becomes_a_topic_proposal_once(dialogue, staff_clerk):
    outcome = services.dialogue_outcome_add(actor=staff_clerk, dialogue=dialogue, text="建议开展专题调研")
    proposal = services.dialogue_outcome_to_topic_proposal(actor=staff_clerk, outcome=outcome, title="专题调研",
                                                           year=2027)

    outcome.refresh_from_db()
    assert outcome.topic_proposal == proposal and proposal.state == TopicProposal.State.SUBMITTED
    with pytest.raises(ValidationError):
        services.dialogue_outcome_to_topic_proposal(actor=staff_clerk, outcome=outcome, title="x", year=2027)


def test_the_named_deputy_turns_an_outcome_into_a_suggestion_draft(dialogue, staff_clerk, deputy, deputy_user):
    outcome = services.dialogue_outcome_add(actor=staff_clerk, dialogue=dialogue, text="增加村医编制", deputy=deputy)

    with pytest.raises(TransitionForbidden):
        services.dialogue_outcome_to_suggestion(actor=staff_clerk, outcome=outcome, deputy=deputy, title="村医编制")
    draft = services.dialogue_outcome_to_suggestion(actor=deputy_user, outcome=outcome, deputy=deputy,
                                                    title="关于增加村医编制的建议")

    outcome.refresh_from_db()
    assert outcome.suggestion == draft and draft.state == Proposal.State.DRAFT and draft.lead_deputy == deputy


def test_activity_participation_counts_for_deputies_idempotently(topic, staff_clerk, deputy, town_a):
    activity = services.activity_record(actor=staff_clerk, topic=topic, kind=SupervisionActivity.Kind.SYMPOSIUM,
                                        title="座谈会", date=datetime.date(2027, 4, 2), place=town_a,
                                        deputies=[deputy])
    services.activity_add_deputies(actor=staff_clerk, activity=activity, deputies=[deputy])

    assert DutyParticipation.objects.filter(deputy=deputy, activity__kind=ActivityKind.RESEARCH).count() == 1
    counts = selectors.activity_counts(topic)
    assert counts["by_kind"] == {SupervisionActivity.Kind.SYMPOSIUM: 1}
    assert counts["by_town"] == {town_a.name: 1}


def test_letters_are_routed_answered_closed_and_counted_by_theme(district_body, staff_clerk, unit_officer,
                                                                health_bureau):
    letters = [
        services.letter_register(actor=staff_clerk, body=district_body, kind=LetterVisit.Kind.LETTER,
                                 received_on=datetime.date(2026, 9, 1), theme=theme, summary="内容")
        for theme in ("医疗", "医疗", "教育")
    ]
    services.letter_route(actor=staff_clerk, letter=letters[0], unit=health_bureau)
    services.letter_answer(actor=unit_officer, letter=letters[0], answer="已答复")
    services.letter_close(actor=staff_clerk, letter=letters[0])

    assert LetterVisit.objects.get(pk=letters[0].pk).state == LetterVisit.State.CLOSED
    assert selectors.letter_counts_by_theme(staff_clerk, body=district_body) == [("医疗", 2), ("教育", 1)]
