"""Special work evaluation: phases, single-use questionnaire links, appraisal votes per dimension,
rectification and the second vote."""

import pytest
from django.core.exceptions import ValidationError

from supervision import services
from supervision.models import Choice, QuestionnaireAnswer, QuestionnaireLink, TopicKind, WorkEvaluation
from tests.factories.deputies import DeputyFactory

pytestmark = pytest.mark.django_db

Phase = WorkEvaluation.Phase


@pytest.fixture
def evaluation(plan, staff_clerk, health_bureau, member):
    topic = services.topic_create(actor=staff_clerk, plan=plan, kind=TopicKind.WORK_EVALUATION,
                                  title="对区卫健局开展专项工作评议")
    return services.evaluation_create(actor=staff_clerk, topic=topic, unit=health_bureau, year=2027,
                                      members=[member], dimensions=["service", "results"])


def test_questionnaire_link_is_single_use_and_the_answer_is_anonymous(evaluation, staff_clerk, district_body):
    deputies = DeputyFactory.create_batch(2, body=district_body)
    tokens = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="deputy",
                                          deputies=deputies)
    citizen_tokens = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen",
                                                  count=3)
    assert len(tokens) == 2 and len(citizen_tokens) == 3

    services.questionnaire_answer(token=tokens[0], ratings={"service": Choice.SATISFIED, "results": Choice.BASICALLY})
    with pytest.raises(services.LinkUsed):
        services.questionnaire_answer(token=tokens[0], ratings={"service": Choice.UNSATISFIED})

    assert QuestionnaireAnswer.objects.filter(evaluation=evaluation).count() == 1
    assert not any(f.name in ("link", "deputy") for f in QuestionnaireAnswer._meta.get_fields())
    assert QuestionnaireLink.objects.filter(evaluation=evaluation, used_at__isnull=False).count() == 1


def test_an_invalid_answer_does_not_spend_the_link(evaluation, staff_clerk):
    [token] = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=1)

    with pytest.raises(ValidationError):
        services.questionnaire_answer(token=token, ratings={"unknown": Choice.SATISFIED})
    services.questionnaire_answer(token=token, ratings={"service": Choice.SATISFIED})


def test_questionnaires_close_with_the_investigation(evaluation, staff_clerk):
    [token] = services.questionnaire_issue(actor=staff_clerk, evaluation=evaluation, audience="citizen", count=1)
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.INVESTIGATE)
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.APPRAISE)

    with pytest.raises(services.QuestionnaireClosed):
        services.questionnaire_answer(token=token, ratings={"service": Choice.SATISFIED})
    assert QuestionnaireLink.objects.get().used_at is None


def test_failed_appraisal_leads_to_rectification_and_a_second_vote_that_passes(
    evaluation, staff_clerk, committee_members, unit_officer
):
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.INVESTIGATE)
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.APPRAISE)
    votes, tokens = services.appraisal_open(actor=staff_clerk, evaluation=evaluation)
    assert sorted(v.dimension for v in votes) == ["", "results", "service"]
    assert all(len(member_tokens) == 3 for member_tokens in tokens.values())

    first = services.appraisal_close(actor=staff_clerk, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert first.passed is False and (evaluation.phase, evaluation.round) == (Phase.RECTIFY, 2)

    with pytest.raises(ValidationError):
        services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.APPRAISE)
    services.evaluation_set_rectification_plan(actor=unit_officer, evaluation=evaluation, text="整改方案")
    services.evaluation_advance(actor=staff_clerk, evaluation=evaluation, to=Phase.APPRAISE)
    votes, tokens = services.appraisal_open(actor=staff_clerk, evaluation=evaluation)
    for member_tokens in list(tokens.values())[:3]:
        for token in member_tokens:
            services.ballot_cast_by_token(token=token, choice=Choice.SATISFIED)
    second = services.appraisal_close(actor=staff_clerk, evaluation=evaluation)

    evaluation.refresh_from_db()
    assert second.passed is True and second.round == 2
    assert evaluation.phase == Phase.PUBLISHED
