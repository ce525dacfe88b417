"""Ratings: the deputy's own, sealed from the unit until submitted, never edited; paper forms
marked; 不满意 → re-handling → second rating; two 不满意 escalate; unrated is "not rated"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import Event, Notification
from congress.models.accounts import Role
from congress.workflow import IllegalTransition, TransitionForbidden
from suggestions import permissions, selectors, services
from suggestions.models import Assignment, ImmutableRatingError, Proposal, Rating, RatingLink
from tests.factories.congress import user_with_role

pytestmark = pytest.mark.django_db

SAT, BASIC, UNSAT = "satisfied", "basically_satisfied", "unsatisfied"


def verbs(obj):
    return list(Event.objects.for_object(obj).values_list("verb", flat=True))


def test_deputy_rates_attitude_and_result_separately(flow):
    assignment = flow.replied()
    rating = services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=BASIC)

    assert (rating.attitude, rating.result, rating.round, rating.via) == (SAT, BASIC, 1, "portal")
    assert not rating.entered_by_staff
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.EVALUATED
    assert assignment.rating_status == Assignment.RatingStatus.RATED
    assert Proposal.objects.get(pk=assignment.proposal_id).state == Proposal.State.EVALUATED


@pytest.mark.parametrize(
    "actor_name", ["co_deputy_user", "staff_admin", "unit_officer", "leader", "member", "township_officer_a"]
)
def test_nobody_but_the_lead_deputys_own_account_rates(flow, request, actor_name):
    assignment = flow.replied()
    with pytest.raises(TransitionForbidden):
        services.rating_submit(actor=request.getfixturevalue(actor_name), assignment=assignment,
                               attitude=SAT, result=SAT)
    assert not Rating.objects.exists()


def test_unsatisfied_needs_a_reason(flow):
    assignment = flow.replied()
    with pytest.raises(ValidationError):
        services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=UNSAT)


def test_rating_is_refused_before_the_reply_and_twice_in_a_round(flow):
    assignment = flow.assigned()
    with pytest.raises(IllegalTransition):
        services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT)
    flow.replied(assignment=assignment)
    services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT)
    with pytest.raises(services.AlreadyRated):
        services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=UNSAT, result=UNSAT,
                               reason="x")


def test_unit_cannot_read_a_rating_before_it_is_submitted(flow, education_bureau, education_officer):
    assignment = flow.replied(co_units=[education_bureau])
    assert not selectors.ratings_for(flow.unit_officer, assignment).exists()

    rating = services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT)

    assert list(selectors.ratings_for(flow.unit_officer, assignment)) == [rating]
    assert list(selectors.ratings_for(flow.deputy_user, assignment)) == [rating]
    assert list(selectors.ratings_for(flow.staff, assignment)) == [rating]
    # A co-handling unit never reads the lead unit's rating.
    assert not selectors.ratings_for(education_officer, assignment).exists()


def test_nobody_can_edit_or_delete_a_rating(flow):
    assignment = flow.replied()
    rating = services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT)

    rating.result = UNSAT
    with pytest.raises(ImmutableRatingError):
        rating.save()
    with pytest.raises(ImmutableRatingError):
        rating.delete()
    with pytest.raises(ImmutableRatingError):
        Rating.objects.filter(pk=rating.pk).update(result=UNSAT)
    with pytest.raises(ImmutableRatingError):
        Rating.objects.filter(pk=rating.pk).delete()
    assert Rating.objects.get(pk=rating.pk).result == SAT


def test_a_correction_is_a_new_rating_and_both_are_kept(flow, staff_admin):
    assignment = flow.replied()
    first = services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT)
    with pytest.raises(TransitionForbidden):
        services.rating_correct(actor=staff_admin, rating=first, attitude=SAT, result=BASIC, correction_reason="x")

    second = services.rating_correct(actor=flow.deputy_user, rating=first, attitude=SAT, result=UNSAT,
                                     reason="问题未解决", correction_reason="误点了满意")

    assert second.corrects == first and Rating.objects.count() == 2
    assert services.effective_deputy_rating(assignment) == second
    assignment.refresh_from_db()
    assert assignment.rehandling_order_due is not None
    assert "rating_corrected" in verbs(assignment)


def test_staff_enter_a_paper_form_only_with_a_scan_and_a_reason_and_it_is_marked(flow, staff_admin):
    assignment = flow.replied()
    with pytest.raises(ValidationError):
        services.rating_enter_paper(actor=staff_admin, assignment=assignment, attitude=SAT, result=SAT, reason="",
                                    scan=None, staff_reason="代表不会使用手机")
    scan = SimpleUploadedFile("测评表.pdf", b"%PDF-1.4 scan")
    with pytest.raises(ValidationError):
        services.rating_enter_paper(actor=staff_admin, assignment=assignment, attitude=SAT, result=SAT, reason="",
                                    scan=scan, staff_reason=" ")
    with pytest.raises(TransitionForbidden):
        services.rating_enter_paper(actor=flow.unit_officer, assignment=assignment, attitude=SAT, result=SAT,
                                    reason="", scan=scan, staff_reason="r")

    rating = services.rating_enter_paper(actor=staff_admin, assignment=assignment, attitude=SAT, result=BASIC,
                                         reason="", scan=scan, staff_reason="代表不会使用手机")

    assert rating.entered_by_staff and rating.entered_by == staff_admin and rating.via == "paper"
    assert rating.scan.name and rating.rater == flow.deputy_user
    assert Rating.objects.filter(entered_by_staff=True).count() == 1


def test_single_use_link_rates_once(flow, staff_admin, co_deputy_user):
    assignment = flow.replied()
    _link, token = services.rating_link_issue(actor=staff_admin, assignment=assignment)

    with pytest.raises(TransitionForbidden):
        services.rating_submit_by_link(actor=co_deputy_user, token=token, attitude=SAT, result=SAT)
    rating = services.rating_submit_by_link(actor=None, token=token, attitude=SAT, result=SAT)
    assert rating.via == "link" and rating.rater == flow.deputy_user
    with pytest.raises(services.RatingLinkInvalid):
        services.rating_submit_by_link(actor=None, token=token, attitude=SAT, result=SAT)
    with pytest.raises(services.RatingLinkInvalid):
        services.rating_submit_by_link(actor=None, token="guess", attitude=SAT, result=SAT)
    assert RatingLink.objects.get(pk=_link.pk).digest != token


def test_unsatisfied_result_leads_to_rehandling_and_a_second_rating(flow, deputy_user):
    assignment = flow.replied(reply_class="B")
    services.rating_submit(actor=deputy_user, assignment=assignment, attitude=SAT, result=UNSAT, reason="未落实")
    assignment.refresh_from_db()
    assert assignment.rehandling_order_due is not None
    assert assignment.rehandling_order_due_basis["rule"] == "rehandling_order_working_days"

    with pytest.raises(TransitionForbidden):
        services.rehandling_order(actor=flow.unit_officer, assignment=assignment)
    services.rehandling_order(actor=flow.staff, assignment=assignment, note="请重新办理")

    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.REHANDLING and assignment.round == 2
    assert assignment.reply_due_basis["rule"] == "rehandling_reply_months"
    assert Proposal.objects.get(pk=assignment.proposal_id).state == Proposal.State.REHANDLING
    # The second round needs its own contact before the reply.
    with pytest.raises(services.ContactRequired):
        services.reply_submit(actor=flow.unit_officer, assignment=assignment, text="再次答复",
                              reply_class=flow.reply_classes["A"], officer="李科长")

    flow.replied(assignment=assignment, reply_class="A")
    second = services.rating_submit(actor=deputy_user, assignment=assignment, attitude=SAT, result=SAT)

    assert second.round == 2
    assignment.refresh_from_db()
    assert assignment.unsatisfied_streak == 0
    assert Proposal.objects.get(pk=assignment.proposal_id).state == Proposal.State.EVALUATED
    assert list(assignment.replies.values_list("round", flat=True)) == [1, 2]


def test_rehandling_is_refused_after_a_satisfied_result(flow):
    assignment = flow.replied()
    services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT)
    with pytest.raises(services.NotRehandlable):
        services.rehandling_order(actor=flow.staff, assignment=assignment)


def test_two_unsatisfied_in_a_row_escalate_to_the_committee_and_the_leaders(
    flow, deputy_user, leader, committee, district_body
):
    from tests.factories.suggestions import CategoryFactory

    committee_clerk = user_with_role(Role.STAFF_CLERK, username="committee_clerk", body=district_body,
                                     committee=committee)
    category = CategoryFactory(body=district_body, name="教育卫生", committee=committee)
    assignment = flow.replied(category=category)
    services.rating_submit(actor=deputy_user, assignment=assignment, attitude=UNSAT, result=UNSAT, reason="敷衍")
    assert not Notification.objects.filter(kind="suggestions.escalated").exists()
    services.rehandling_order(actor=flow.staff, assignment=assignment)
    flow.replied(assignment=assignment)

    services.rating_submit(actor=deputy_user, assignment=assignment, attitude=BASIC, result=UNSAT, reason="仍未解决")

    assignment.refresh_from_db()
    assert assignment.unsatisfied_streak == 2
    escalated = set(Notification.objects.filter(kind="suggestions.escalated").values_list("recipient_id", flat=True))
    assert {leader.pk, committee_clerk.pk} <= escalated
    assert "escalated" in verbs(assignment)


def test_after_the_window_an_unrated_reply_is_not_rated_never_satisfied(flow):
    assignment = flow.replied(on=datetime.date(2026, 3, 2))
    day_after = assignment.rating_due + datetime.timedelta(days=1)
    with pytest.raises(services.RatingWindowClosed):
        services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude=SAT, result=SAT, on=day_after)

    closed = services.assignments_close_after_window(on=day_after)

    assert closed == 1
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.CLOSED
    assert assignment.rating_status == Assignment.RatingStatus.NOT_RATED
    assert not Rating.objects.exists()
    assert Proposal.objects.get(pk=assignment.proposal_id).state == Proposal.State.CLOSED
    assert "not_rated" in verbs(assignment)


def test_satisfied_items_close_after_the_window_but_unsatisfied_ones_wait_for_staff(flow):
    satisfied = flow.replied(on=datetime.date(2026, 3, 2))
    unsatisfied = flow.replied(on=datetime.date(2026, 3, 2))
    services.rating_submit(actor=flow.deputy_user, assignment=satisfied, attitude=SAT, result=SAT,
                           on=datetime.date(2026, 3, 3))
    services.rating_submit(actor=flow.deputy_user, assignment=unsatisfied, attitude=SAT, result=UNSAT, reason="r",
                           on=datetime.date(2026, 3, 3))

    services.assignments_close_after_window(on=datetime.date(2026, 4, 1))

    assert Assignment.objects.get(pk=satisfied.pk).state == Assignment.State.CLOSED
    assert Assignment.objects.get(pk=unsatisfied.pk).state == Assignment.State.EVALUATED


def test_members_rate_motions_in_their_own_group(flow, member, district_body, term):
    from suggestions.models import Signer
    from tests.factories.deputies import DeputyFactory

    co_signers = [DeputyFactory(body=district_body, term=term) for _ in range(9)]
    proposal = flow.filed(kind="motion", co_signers=co_signers)
    Signer.objects.filter(proposal=proposal).update(confirmed_at=proposal.created_at)
    services.proposal_submit(actor=flow.deputy_user, proposal=proposal)
    services.proposal_accept(actor=flow.staff, proposal=proposal)
    assignment = services.proposal_assign(actor=flow.staff, proposal=proposal, lead_unit=flow.unit)[0]
    flow.replied(assignment=assignment)

    rating = services.rating_submit_as_member(actor=member, assignment=assignment, attitude=SAT, result=BASIC)

    assert rating.rater_group == "member"
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.REPLIED
    assert permissions.visible_ratings(member).filter(pk=rating.pk).exists()


def test_key_suggestion_designated_and_carried_over(flow, leader, committee, district_body):
    assignment = flow.assigned()
    key = services.key_suggestion_designate(actor=leader, proposal=assignment.proposal, year=2026,
                                            supervising_leader=leader, committee=committee)
    with pytest.raises(TransitionForbidden):
        services.key_suggestion_designate(actor=flow.unit_officer, proposal=assignment.proposal, year=2027,
                                          supervising_leader=leader, committee=committee)

    carried = services.key_suggestions_carry_over(actor=leader, body=district_body, year=2026)

    assert [c.year for c in carried] == [2027] and carried[0].carried_over_from == key
    assert services.key_suggestions_carry_over(actor=leader, body=district_body, year=2026) == []
