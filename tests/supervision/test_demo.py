"""The supervision demo data builds on a small demo district, through the services."""

import pytest

from supervision import demo
from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    Dialogue,
    LetterVisit,
    PlanVersion,
    SatisfactionVote,
    SpecialInquiry,
    SupervisionActivity,
    TopicProposal,
    WorkEvaluation,
)

pytestmark = pytest.mark.django_db


def test_demo_builds_the_supervision_year(demo_deputies):
    demo_deputies.begin_app("supervision")
    demo.build(demo_deputies)

    assert TopicProposal.objects.filter(year=demo.DEMO_YEAR).count() == demo.PROPOSALS
    assert TopicProposal.objects.filter(dialogue_outcomes__isnull=False).count() == 1
    assert TopicProposal.objects.filter(state=TopicProposal.State.MERGED, merged_into__isnull=False).exists()
    plan = AnnualPlan.objects.get()
    assert plan.state == AnnualPlan.State.PUBLISHED and PlanVersion.objects.filter(plan=plan).count() == 2
    assert set(WorkEvaluation.objects.values_list("unit", flat=True)) == {
        demo_deputies.health_bureau.pk, demo_deputies.approval_bureau.pk
    }
    assert SupervisionActivity.objects.filter(kind=SupervisionActivity.Kind.SYMPOSIUM).count() == 15
    opinion = DeliberationOpinion.objects.get()
    assert (opinion.state, opinion.failures) == (DeliberationOpinion.State.PASSED, 1)
    results = SatisfactionVote.objects.filter(opinion=opinion).order_by("round").values_list("passed", flat=True)
    assert list(results) == [False, True]
    assert all(SatisfactionVote.objects.filter(opinion=opinion).values_list("is_published", flat=True))
    open_vote = SatisfactionVote.objects.get(state=SatisfactionVote.State.OPEN, subject="work_report")
    assert open_vote.ballots.filter(used_at__isnull=False).exists()
    assert open_vote.ballots.filter(used_at__isnull=True).exists()
    assert Dialogue.objects.filter(state=Dialogue.State.HELD).count() == 5
    assert demo_deputies.counts["topic_proposals"] == demo.PROPOSALS


def test_demo_has_a_published_inquiry_letters_in_every_state_and_an_evaluation_rectifying(demo_deputies):
    demo_deputies.begin_app("supervision")
    demo.build(demo_deputies)

    inquiry = SpecialInquiry.objects.get()
    assert inquiry.published_at is not None and inquiry.questions.count() >= 2 and inquiry.handling_report
    assert set(LetterVisit.objects.values_list("state", flat=True)) == set(LetterVisit.State.values)
    assert LetterVisit.objects.exclude(petitioner_phone="").exists()
    rectifying = WorkEvaluation.objects.get(phase=WorkEvaluation.Phase.RECTIFY)
    assert rectifying.rectification_plan and rectifying.ledger.count() == 2
