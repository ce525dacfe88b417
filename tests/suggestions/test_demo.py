"""The suggestions' demo data (suggestions.demo), built on the small demo district with its deputies
(tests/conftest.py `demo_deputies`): proposals in every state, overdue ones, an extension, a
re-handling round, key suggestions, motions with co-signers, and the demo accounts' own work."""

import pytest
from django.db import transaction

from congress.models import Event
from suggestions import demo as suggestions_demo
from suggestions.models import (
    Assignment,
    Commitment,
    Contact,
    Extension,
    KeySuggestion,
    MergeGroup,
    Proposal,
    Rating,
    Signer,
)
from suggestions.models.evaluation import Satisfaction

pytestmark = pytest.mark.django_db

SIZES = {"proposals": 40, "proposers": 12, "motions": 2, "key_suggestions": 2}


def build(demo):
    demo.sizes.update(SIZES)
    demo.begin_app("suggestions")
    suggestions_demo.build(demo)
    return demo


@pytest.fixture
def demo_suggestions(demo_deputies):
    return build(demo_deputies)


def today(demo):
    return suggestions_demo.SuggestionsDemo(demo, year=suggestions_demo.DEMO_YEAR).today


def test_proposals_reach_every_state_with_their_timeline(demo_suggestions):
    proposals = Proposal.objects.filter(body=demo_suggestions.body)
    assert set(proposals.values_list("state", flat=True)) == set(Proposal.State.values)
    assert proposals.filter(kind=Proposal.Kind.MOTION).exists()
    assert proposals.exclude(converted_from_number="").exists() or proposals.filter(
        kind=Proposal.Kind.MOTION).count() >= 1
    for proposal in proposals.exclude(state=Proposal.State.DRAFT)[:30]:
        assert Event.objects.filter(object_id=str(proposal.pk), verb="submitted").exists()
        assert proposal.received_on is not None
    # Every accepted one has a number, unique by construction.
    numbered = proposals.filter(number__isnull=False)
    assert numbered.count() == numbered.values("number").distinct().count() > 0


def test_deadlines_overdue_and_due_soon_an_extension_and_a_rehandling_round(demo_suggestions):
    day = today(demo_suggestions)
    active = Assignment.objects.filter(state__in=Assignment.ACTIVE_STATES, role=Assignment.Role.LEAD)
    assert active.filter(reply_due__lt=day).exists()
    assert active.filter(reply_due__gte=day).exists()
    assert Extension.objects.filter(state=Extension.State.APPROVED).exists()
    assert Assignment.objects.filter(is_extended=True).exists()
    # 不满意, re-handled, then 满意 and closed.
    rehandled = Assignment.objects.filter(round=2, state=Assignment.State.CLOSED)
    assert rehandled.exists()
    for assignment in rehandled:
        ratings = Rating.objects.filter(assignment=assignment, rater_group=Rating.RaterGroup.DEPUTY)
        assert ratings.get(round=1).result == Satisfaction.UNSATISFIED
        assert ratings.get(round=2).result != Satisfaction.UNSATISFIED
    assert Assignment.objects.filter(rating_status=Assignment.RatingStatus.NOT_RATED).exists()
    assert Commitment.objects.filter(fulfilled_at__isnull=True, due_on__gte=day).exists()
    assert Contact.objects.filter(kind=Contact.Kind.FACE_TO_FACE).exists()
    assert KeySuggestion.objects.count() == SIZES["key_suggestions"]


def test_motions_carry_ten_confirmed_signers(demo_suggestions):
    for motion in Proposal.objects.filter(kind=Proposal.Kind.MOTION).exclude(state=Proposal.State.DRAFT):
        assert Signer.objects.filter(proposal=motion, confirmed_at__isnull=False).count() >= 10


def test_the_demo_deputy_and_the_health_bureau_find_their_work_waiting(demo_suggestions):
    demo = demo_suggestions
    deputy_user, unit_user = demo.users["deputy"], demo.users["unit"]
    assert Proposal.objects.filter(lead_deputy__user=deputy_user, state=Proposal.State.DRAFT).exists()
    assert Signer.objects.filter(deputy__user=deputy_user, is_lead=False, confirmed_at__isnull=True,
                                 proposal__state=Proposal.State.DRAFT).exists()
    assert Assignment.objects.filter(proposal__lead_deputy__user=deputy_user, state=Assignment.State.REPLIED,
                                     rating_due__gte=today(demo)).exists()
    health = Assignment.objects.filter(unit=demo.health_bureau)
    assert health.filter(state=Assignment.State.ASSIGNED).exists()
    assert health.filter(state=Assignment.State.HANDLING, contacts__isnull=False).exists()
    assert unit_user.role_grants.filter(unit=demo.health_bureau).exists()


def snapshot(demo):
    proposals = Proposal.objects.filter(body=demo.body).order_by("number", "title", "state")
    return (
        {name: demo.counts[name] for name in ("proposals", "assignments", "motions filed", "commitments")},
        sorted(proposals.values_list("state", "title", "number")),
    )


def test_the_same_seed_builds_the_same_proposals(demo_deputies):
    """Build, roll back, build again from the same seed: the same proposals in the same states."""
    savepoint = transaction.savepoint()
    first = snapshot(build(demo_deputies))
    transaction.savepoint_rollback(savepoint)
    assert not Proposal.objects.exists()
    second = snapshot(build(demo_deputies))
    assert first == second
    assert first[0]["proposals"] >= SIZES["proposals"]


def test_one_merged_group_is_handled_together_and_rated_by_each_deputy(demo_suggestions):
    [group] = MergeGroup.objects.filter(body=demo_suggestions.body)
    members = list(group.proposals.order_by("pk"))
    assert 2 <= len(members) <= 3
    assert {proposal.state for proposal in members} == {Proposal.State.EVALUATED}
    assignments = Assignment.objects.filter(proposal__in=members, role=Assignment.Role.LEAD)
    assert len({(a.unit_id, a.assigned_on, a.reply_due) for a in assignments}) == 1
    for proposal in members:
        [rating] = Rating.objects.filter(proposal=proposal)
        assert rating.deputy == proposal.lead_deputy


def test_a_face_to_face_session_was_held_with_ratings_of_both_groups_and_one_is_planned(demo_suggestions):
    from suggestions.models import FaceToFaceSession

    held = FaceToFaceSession.objects.get(state=FaceToFaceSession.State.CLOSED)
    planned = FaceToFaceSession.objects.get(state=FaceToFaceSession.State.PLANNED)
    assert held.agenda.exists() and planned.agenda.exists()
    at_session = Rating.objects.filter(via=Rating.Via.SESSION, assignment__in=held.agenda.values("assignment"))
    assert at_session.filter(rater_group=Rating.RaterGroup.DEPUTY).exists()
    assert at_session.filter(rater_group=Rating.RaterGroup.MEMBER).exists()
    assert Event.objects.filter(verb="meeting_requested", actor=demo_suggestions.users["deputy"]).exists()
    assert planned.agenda.filter(assignment__proposal__lead_deputy__user=demo_suggestions.users["deputy"]).exists()
