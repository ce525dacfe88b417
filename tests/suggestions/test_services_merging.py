"""Merged handling (并案): similar proposals of one congress merged before assignment, assigned
together, answered by one contact and one reply that reach every member's deputies, and rated by
each deputy on their own proposal."""

import datetime

import pytest

from congress.models import Event, Notification
from congress.workflow import IllegalTransition, TransitionForbidden
from suggestions import services, statistics
from suggestions.models import Assignment, MergeGroup, Proposal, Rating, Reply, Signer
from tests.factories.suggestions import ProposalFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def accepted_by(flow, user, deputy, *, title="关于在学校周边增设交通信号灯的建议", co_signers=(), submit_only=False):
    """A proposal led by another deputy, walked through the services."""
    proposal = services.proposal_file(
        actor=user, lead_deputy=deputy, kind="suggestion", session=flow.session, co_signers=list(co_signers),
        title=title, content="放学时段车流量大，建议增设信号灯。",
    )
    proposal = services.proposal_submit(actor=user, proposal=proposal)
    return proposal if submit_only else services.proposal_accept(actor=flow.staff, proposal=proposal)


@pytest.fixture
def pair(flow, co_deputy_user, co_deputy):
    """P1 led by 林代表 (co-signed by 郑代表, confirmed); P2 led by 郑代表; both accepted."""
    first = flow.submitted()
    services.signer_confirm(actor=co_deputy_user, signer=Signer.objects.get(proposal=first, deputy=co_deputy))
    first = services.proposal_accept(actor=flow.staff, proposal=first)
    second = accepted_by(flow, co_deputy_user, co_deputy)
    return first, second


def notes(proposal, verb):
    return list(Event.objects.for_object(proposal).filter(verb=verb).values_list("note", flat=True))


# ---- merging and unmerging ----------------------------------------------------------------


def test_staff_merge_similar_proposals_each_keeping_its_own_number(flow, pair):
    first, second = pair
    numbers = (first.number, second.number)

    group = services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert group.main == second
    assert first.merge_group == second.merge_group == group
    assert (first.number, second.number) == numbers
    assert notes(first, "merged") == [second.number]
    assert notes(second, "merged") == [first.number]


def test_a_third_proposal_joins_the_existing_group(flow, pair, deputy_user, deputy):
    first, second = pair
    group = services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)
    third = flow.accepted(title="关于学校门口增设信号灯的建议")

    assert services.proposal_merge(actor=flow.staff, proposal=third, with_proposal=first) == group

    assert set(group.proposals.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}
    assert notes(third, "merged") == [f"{first.number}、{second.number}"]
    assert notes(first, "merged")[-1] == third.number


@pytest.mark.parametrize("persona", ["leader", "unit_officer", "deputy_user"])
def test_only_the_office_staff_merge(flow, pair, request, persona):
    first, second = pair
    with pytest.raises(TransitionForbidden):
        services.proposal_merge(actor=request.getfixturevalue(persona), proposal=first, with_proposal=second)
    assert not MergeGroup.objects.exists()


def test_proposals_of_different_congresses_are_not_merged(flow, pair, township_body_a):
    first, _second = pair
    township = ProposalFactory(body=township_body_a, state=Proposal.State.ACCEPTED, number="1-1-J-001")

    with pytest.raises(services.MergeRefused) as refusal:
        services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=township)

    assert "同一" in str(refusal.value.message)
    assert not MergeGroup.objects.exists()


def test_an_assigned_proposal_is_not_merged(flow, pair):
    first, second = pair
    services.proposal_assign(actor=flow.staff, proposal=second, lead_unit=flow.unit)

    with pytest.raises(services.MergeRefused) as refusal:
        services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)

    assert second.number in str(refusal.value.message)
    first.refresh_from_db()
    assert first.merge_group is None


def test_proposals_in_two_different_groups_are_not_merged(flow, pair):
    first, second = pair
    third = flow.accepted(title="关于学校门口增设信号灯的建议")
    fourth = flow.accepted(title="关于学校周边增设信号灯的建议")
    services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)
    services.proposal_merge(actor=flow.staff, proposal=third, with_proposal=fourth)

    with pytest.raises(services.MergeRefused):
        services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=third)
    with pytest.raises(services.MergeRefused):
        services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=first)


def test_unmerging_one_of_two_dissolves_the_group(flow, pair):
    first, second = pair
    services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)

    services.proposal_unmerge(actor=flow.staff, proposal=first)

    assert not MergeGroup.objects.exists()
    assert not Proposal.objects.filter(merge_group__isnull=False).exists()
    assert notes(second, "unmerged") == [first.number]


def test_when_the_main_proposal_leaves_a_group_of_three_the_next_becomes_main(flow, pair):
    first, second = pair
    third = flow.accepted(title="关于学校门口增设信号灯的建议")
    group = services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)
    services.proposal_merge(actor=flow.staff, proposal=third, with_proposal=second)

    services.proposal_unmerge(actor=flow.staff, proposal=second)

    group.refresh_from_db()
    assert group.main == first
    assert set(group.proposals.values_list("pk", flat=True)) == {first.pk, third.pk}


def test_unmerging_after_assignment_is_refused(flow, pair):
    first, second = pair
    services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)
    services.proposal_assign(actor=flow.staff, proposal=first, lead_unit=flow.unit)

    with pytest.raises(services.MergeRefused):
        services.proposal_unmerge(actor=flow.staff, proposal=first)
    with pytest.raises(services.MergeRefused):
        services.proposal_unmerge(actor=flow.staff, proposal=flow.accepted())  # never merged


def test_a_returned_proposal_leaves_its_group(flow, pair, co_deputy_user, co_deputy, return_reasons):
    first, _second = pair
    submitted = accepted_by(flow, co_deputy_user, co_deputy, submit_only=True)
    services.proposal_merge(actor=flow.staff, proposal=submitted, with_proposal=first)

    services.proposal_return(actor=flow.staff, proposal=submitted, reason=return_reasons["no_content"])

    submitted.refresh_from_db()
    assert submitted.state == Proposal.State.RETURNED and submitted.merge_group is None
    assert not MergeGroup.objects.exists()


# ---- assignment, contact and reply cover the group ----------------------------------------------


def test_assigning_one_member_assigns_the_group_with_the_same_deadlines_and_basis(flow, pair, education_bureau):
    first, second = pair
    services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)

    services.proposal_assign(actor=flow.staff, proposal=first, lead_unit=flow.unit, co_units=[education_bureau],
                             assigned_on=MONDAY)

    fields = ("unit_id", "role", "assigned_on", "objection_due", "objection_due_basis", "reply_due",
              "reply_due_basis", "co_opinion_due", "co_opinion_due_basis", "max_due", "max_due_basis")
    first_rows = sorted(Assignment.objects.filter(proposal=first).values_list(*fields))
    second_rows = sorted(Assignment.objects.filter(proposal=second).values_list(*fields))
    assert len(first_rows) == 2 and first_rows == second_rows
    assert set(Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {"assigned"}
    # The unit hears of the group once.
    assert Notification.objects.filter(recipient=flow.unit_officer, kind="suggestions.assigned").count() == 1


def test_a_group_with_a_member_not_yet_accepted_is_not_assigned(flow, pair, co_deputy_user, co_deputy):
    first, _second = pair
    submitted = accepted_by(flow, co_deputy_user, co_deputy, submit_only=True)
    services.proposal_merge(actor=flow.staff, proposal=submitted, with_proposal=first)

    with pytest.raises(services.MergeRefused):
        services.proposal_assign(actor=flow.staff, proposal=first, lead_unit=flow.unit)
    with pytest.raises(IllegalTransition):
        services.proposal_assign(actor=flow.staff, proposal=submitted, lead_unit=flow.unit)
    assert not Assignment.objects.exists()


@pytest.fixture
def merged_lead_assignments(flow, pair):
    first, second = pair
    services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)
    services.proposal_assign(actor=flow.staff, proposal=first, lead_unit=flow.unit)
    return (Assignment.objects.get(proposal=first, role="lead"), Assignment.objects.get(proposal=second, role="lead"))


def test_one_contact_and_one_reply_cover_the_group_and_reach_every_members_deputies(
    flow, merged_lead_assignments, deputy_user, co_deputy_user
):
    first, second = merged_lead_assignments

    flow.contact(first)
    services.reply_submit(actor=flow.unit_officer, assignment=first, text="已列入今年计划。",
                          reply_class=flow.reply_classes["A"], officer="李科长")

    for assignment in (first, second):
        assignment.refresh_from_db()
        assert assignment.state == Assignment.State.REPLIED
        assert assignment.contacts.count() == 1 and assignment.replies.get().text == "已列入今年计划。"
        assert assignment.proposal.state == Proposal.State.REPLIED
    # 林代表 leads P1; 郑代表 co-signed P1 and leads P2: each proposal's deputies hear of its reply,
    # and each lead deputy gets a rating link for their own proposal.
    replied = Notification.objects.filter(kind="suggestions.replied")
    assert set(replied.filter(recipient=deputy_user).values_list("dedupe_key", flat=True)) == {
        f"replied:assignment-{first.pk}:round-1"
    }
    assert set(replied.filter(recipient=co_deputy_user).values_list("dedupe_key", flat=True)) == {
        f"replied:assignment-{first.pk}:round-1", f"replied:assignment-{second.pk}:round-1"
    }
    assert "/rate/" in replied.get(recipient=deputy_user).url
    assert "/rate/" in replied.get(recipient=co_deputy_user, dedupe_key__contains=f"-{second.pk}:").url


def test_one_co_handler_opinion_covers_the_group_and_joins_each_members_reply(
    flow, pair, education_bureau, education_officer
):
    first, second = pair
    services.proposal_merge(actor=flow.staff, proposal=first, with_proposal=second)
    services.proposal_assign(actor=flow.staff, proposal=first, lead_unit=flow.unit, co_units=[education_bureau])

    services.co_opinion_submit(actor=education_officer, assignment=Assignment.objects.get(proposal=second, role="co"),
                               text="同意主办单位意见。")
    lead = Assignment.objects.get(proposal=first, role="lead")
    flow.contact(lead)
    services.reply_submit(actor=flow.unit_officer, assignment=lead, text="已列入今年计划。",
                          reply_class=flow.reply_classes["A"], officer="李科长")

    assert set(Assignment.objects.filter(role="co").values_list("state", flat=True)) == {"closed"}
    for proposal in (first, second):
        reply = Reply.objects.get(assignment__proposal=proposal)
        assert list(reply.co_opinions.values_list("assignment__proposal_id", flat=True)) == [proposal.pk]


def test_each_deputy_rates_on_their_own_proposal_and_never_on_another(
    flow, merged_lead_assignments, deputy_user, co_deputy_user
):
    first, second = merged_lead_assignments
    flow.contact(first)
    services.reply_submit(actor=flow.unit_officer, assignment=first, text="已列入今年计划。",
                          reply_class=flow.reply_classes["A"], officer="李科长")

    services.rating_submit(actor=deputy_user, assignment=first, attitude="satisfied", result="satisfied")
    with pytest.raises(TransitionForbidden):
        services.rating_submit(actor=deputy_user, assignment=second, attitude="satisfied", result="satisfied")
    services.rating_submit(actor=co_deputy_user, assignment=second, attitude="satisfied", result="unsatisfied",
                           reason="只答复了一半")

    assert list(Rating.objects.filter(assignment=first).values_list("proposal_id", "rater_id", "result")) == [
        (first.proposal_id, deputy_user.pk, "satisfied")
    ]
    assert list(Rating.objects.filter(assignment=second).values_list("proposal_id", "rater_id", "result")) == [
        (second.proposal_id, co_deputy_user.pk, "unsatisfied")
    ]


def test_statistics_count_each_merged_proposal_once(flow, merged_lead_assignments, staff_admin, district_body):
    first, _second = merged_lead_assignments
    flow.contact(first)
    services.reply_submit(actor=flow.unit_officer, assignment=first, text="已列入今年计划。",
                          reply_class=flow.reply_classes["A"], officer="李科长")
    today = datetime.date.today()

    result = statistics.compute(staff_admin, body=district_body, year=today.year, today=today)

    assert (result.total.assignments, result.total.replied) == (2, 2)
    assert sorted(figures.assignments for figures in result.by["deputy"]) == [1, 1]
