"""Ratings (the guard against 被满意), re-handling, escalation and closing.

Only the lead deputy's own account rates, through the portal or a single-use link; staff may
enter a paper form only with a scan and a reason, and such a rating says so. A rating is never
edited: a correction is a new row. An unsatisfied result sends the item back for re-handling;
two unsatisfied results in a row escalate to the supervising committee and the leaders.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models.accounts import Role
from congress.notifications.services import notify
from congress.permissions import has_role
from congress.rules import months_after, working_days_after
from congress.workflow import IllegalTransition, TransitionForbidden, record_event, transition
from deputies.models import ActivityKind
from deputies.services import record_duty_activity
from suggestions import permissions
from suggestions.models import Assignment, KeySuggestion, Proposal, Rating, RatingLink, Satisfaction
from suggestions.services.common import (
    AlreadyRated,
    NotRehandlable,
    RatingLinkInvalid,
    RatingWindowClosed,
    committee_staff_ids,
    forbid_unless,
    leader_ids,
    signer_user_ids,
    staff_ids,
    today,
    unit_officer_ids,
)
from suggestions.services.handling import _lock_assignment, advance_proposal

State = Assignment.State
UNSATISFIED = Satisfaction.UNSATISFIED


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def effective_deputy_rating(assignment: Assignment, round_number: int | None = None) -> Rating | None:
    """The deputy's rating of a round as it stands: the last of its chain of corrections."""
    return (
        Rating.objects.filter(
            assignment=assignment,
            round=round_number or assignment.round,
            rater_group=Rating.RaterGroup.DEPUTY,
            correction__isnull=True,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _validate_values(attitude: str, result: str, reason: str) -> None:
    Satisfaction(attitude), Satisfaction(result)
    if UNSATISFIED in (attitude, result) and not reason.strip():
        raise ValidationError(_("Give a reason for an unsatisfied rating."), code="reason_required")


def _escalate(assignment: Assignment, *, actor) -> None:
    """Two unsatisfied results in a row: tell the supervising committee and the leaders."""
    proposal = assignment.proposal
    recipients = set(leader_ids(proposal.body))
    if proposal.category_id:
        recipients |= set(committee_staff_ids(proposal.category.committee))
    for key in KeySuggestion.objects.filter(proposal=proposal).select_related("committee"):
        recipients.add(key.supervising_leader_id)
        recipients |= set(committee_staff_ids(key.committee))
    record_event(assignment, actor=actor, verb="escalated", data={"streak": assignment.unsatisfied_streak})
    notify(
        recipients=recipients or staff_ids(proposal.body),
        kind="suggestions.escalated",
        urgent=True,
        title=_("Unsatisfied twice in a row: %(title)s (%(unit)s)")
        % {"title": proposal.title, "unit": assignment.unit},
        dedupe_key=f"escalated:assignment-{assignment.pk}:round-{assignment.round}",
    )


def _apply_result(assignment: Assignment, *, result: str, actor, on: datetime.date) -> dict:
    """The assignment fields an (effective) result implies for the current round."""
    previous_rounds_streak = 0
    for earlier in range(assignment.round - 1, 0, -1):
        rating = effective_deputy_rating(assignment, earlier)
        if rating is None or rating.result != UNSATISFIED:
            break
        previous_rounds_streak += 1
    if result == UNSATISFIED:
        order = working_days_after(assignment.proposal.body, "rehandling_order_working_days", on)
        return {
            "unsatisfied_streak": previous_rounds_streak + 1,
            "rehandling_order_due": order.due,
            "rehandling_order_due_basis": order.basis,
        }
    return {"unsatisfied_streak": 0, "rehandling_order_due": None, "rehandling_order_due_basis": {}}


def _after_rating(assignment: Assignment, rating: Rating, *, actor) -> None:
    proposal = assignment.proposal
    if assignment.unsatisfied_streak >= 2 and rating.result == UNSATISFIED:
        _escalate(assignment, actor=actor)
    if rating.deputy is not None and rating.deputy.is_serving and rating.deputy.body_id == proposal.body_id:
        record_duty_activity(
            deputy=rating.deputy, kind=ActivityKind.OTHER, date=rating.submitted_at.date(), source_object=rating,
            actor=actor, title=_("Rated the handling of: %(title)s") % {"title": proposal.title},
        )
    # The unit may read the rating now that it is submitted.
    notify(recipients=unit_officer_ids([assignment.unit_id]), kind="suggestions.rated",
           title=_("The deputy rated your handling of “%(title)s”") % {"title": proposal.title},
           dedupe_key=f"rated:rating-{rating.pk}")
    if rating.result == UNSATISFIED:
        notify(recipients=staff_ids(proposal.body), kind="suggestions.unsatisfied",
               title=_("Unsatisfied with the result: %(title)s") % {"title": proposal.title},
               body=rating.reason, dedupe_key=f"unsatisfied:rating-{rating.pk}")


def _create_deputy_rating(
    *, actor, assignment: Assignment, attitude: str, result: str, reason: str, via: str, rater, on: datetime.date,
    **extra,
) -> Rating:
    locked = _lock_assignment(assignment)
    _validate_values(attitude, result, reason)
    if locked.state != State.REPLIED:
        if locked.state in (State.EVALUATED, State.CLOSED) and effective_deputy_rating(locked):
            raise AlreadyRated()
        raise IllegalTransition(from_state=locked.state, to_state=State.EVALUATED)
    if locked.rating_due and on > locked.rating_due:
        raise RatingWindowClosed(due=locked.rating_due.isoformat())
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                proposal=locked.proposal, assignment=locked, round=locked.round,
                rater_group=Rating.RaterGroup.DEPUTY, rater=rater, deputy=locked.proposal.lead_deputy,
                attitude=attitude, result=result, reason=reason, via=via, **extra,
            )
    except IntegrityError as error:
        raise AlreadyRated() from error
    changes = {
        "rating_status": Assignment.RatingStatus.RATED,
        **_apply_result(locked, result=result, actor=actor, on=on),
    }
    transition(locked, to=State.EVALUATED, actor=actor, verb="rated", changes=changes,
               data={"rating": rating.pk, "attitude": attitude, "result": result, "via": via})
    _after_rating(locked, rating, actor=actor)
    advance_proposal(locked.proposal, actor=actor)
    return rating


@transaction.atomic
def rating_submit(
    *, actor, assignment: Assignment, attitude: str, result: str, reason: str = "", on: datetime.date | None = None
) -> Rating:
    """The lead deputy rates attitude and result of the current round from their own account."""
    assignment = Assignment.objects.select_related("proposal__lead_deputy", "proposal__body__region").get(
        pk=assignment.pk
    )
    forbid_unless(permissions.can_rate(actor, assignment))
    return _create_deputy_rating(
        actor=actor, assignment=assignment, attitude=attitude, result=result, reason=reason,
        via=Rating.Via.PORTAL, rater=actor, on=on or today(),
    )


@transaction.atomic
def rating_link_issue(*, actor, assignment: Assignment) -> tuple[RatingLink, str]:
    """A single-use link for the lead deputy to rate the current round; the token is returned once."""
    assignment = Assignment.objects.select_related("proposal__lead_deputy", "proposal__body__region").get(
        pk=assignment.pk
    )
    if actor is not None and not (
        permissions.can_act_for_unit(actor, assignment) or permissions.is_staff_for(actor, assignment.proposal.body)
    ):
        raise TransitionForbidden()
    if assignment.state != State.REPLIED or assignment.rating_due is None:
        raise IllegalTransition(from_state=assignment.state)
    token = secrets.token_urlsafe(32)
    end_of_window = datetime.datetime.combine(
        assignment.rating_due + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    link = RatingLink.objects.create(
        assignment=assignment, round=assignment.round, deputy=assignment.proposal.lead_deputy,
        digest=_digest(token), expires_at=end_of_window,
    )
    return link, token


@transaction.atomic
def rating_submit_by_link(*, actor, token: str, attitude: str, result: str, reason: str = "") -> Rating:
    """Rate through a single-use link. The link stands for the deputy's own account: if someone
    else is logged in, it is refused; once used or expired it rates nothing."""
    link = RatingLink.objects.select_related("deputy", "assignment").filter(digest=_digest(token)).first()
    if link is None:
        raise RatingLinkInvalid()
    if actor is not None and actor.is_authenticated and actor.pk != link.deputy.user_id:
        raise TransitionForbidden()
    _validate_values(attitude, result, reason)
    claimed = RatingLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=timezone.now(), round=link.assignment.round
    ).update(used_at=timezone.now())
    if not claimed:
        raise RatingLinkInvalid()
    rater = link.deputy.user
    return _create_deputy_rating(
        actor=rater, assignment=link.assignment, attitude=attitude, result=result, reason=reason,
        via=Rating.Via.LINK, rater=rater, on=today(),
    )


@transaction.atomic
def rating_enter_paper(
    *, actor, assignment: Assignment, attitude: str, result: str, reason: str, scan, staff_reason: str,
    on: datetime.date | None = None,
) -> Rating:
    """Staff enter the deputy's paper form: only with a scan of it and a reason; marked as such."""
    assignment = Assignment.objects.select_related("proposal__lead_deputy", "proposal__body__region").get(
        pk=assignment.pk
    )
    forbid_unless(permissions.can_enter_paper_rating(actor, assignment))
    if not scan or not staff_reason.strip():
        raise ValidationError(_("A paper rating needs a scan of the form and a reason."), code="paper_incomplete")
    from congress.uploads import validate_upload

    validate_upload(scan)
    rating = _create_deputy_rating(
        actor=actor, assignment=assignment, attitude=attitude, result=result, reason=reason,
        via=Rating.Via.PAPER, rater=assignment.proposal.lead_deputy.user, on=on or today(),
        entered_by_staff=True, entered_by=actor, staff_reason=staff_reason, scan=scan,
    )
    return rating


@transaction.atomic
def rating_correct(
    *, actor, rating: Rating, attitude: str, result: str, reason: str = "", correction_reason: str,
    on: datetime.date | None = None,
) -> Rating:
    """The rater corrects their own rating within the evaluation window: a new row, both kept."""
    rating = Rating.objects.select_related("assignment", "deputy").get(pk=rating.pk)
    if not (actor.is_authenticated and rating.rater_id == actor.pk and has_role(actor, Role.DEPUTY, Role.MEMBER,
                                                                                   Role.LEADER)):
        raise TransitionForbidden()
    if not correction_reason.strip():
        raise ValidationError(_("Give the reason for the correction."), code="reason_required")
    _validate_values(attitude, result, reason)
    locked = _lock_assignment(rating.assignment)
    on = on or today()
    if hasattr(rating, "correction"):
        raise AlreadyRated(_("This rating has already been corrected; correct the latest one."))
    deputy_round_closed = rating.rater_group == Rating.RaterGroup.DEPUTY and locked.state != State.EVALUATED
    if rating.round != locked.round or deputy_round_closed:
        raise IllegalTransition(from_state=locked.state)
    if locked.rating_due and on > locked.rating_due:
        raise RatingWindowClosed(due=locked.rating_due.isoformat())
    new = Rating.objects.create(
        proposal_id=rating.proposal_id, assignment=locked, round=rating.round, rater_group=rating.rater_group,
        rater=actor, deputy=rating.deputy, attitude=attitude, result=result, reason=reason, via=rating.via,
        corrects=rating, correction_reason=correction_reason,
    )
    record_event(locked, actor=actor, verb="rating_corrected", note=correction_reason,
                 data={"rating": new.pk, "corrects": rating.pk, "attitude": attitude, "result": result})
    if rating.rater_group == Rating.RaterGroup.DEPUTY and (rating.result == UNSATISFIED) != (result == UNSATISFIED):
        changes = _apply_result(locked, result=result, actor=actor, on=on)
        Assignment.objects.filter(pk=locked.pk).update(**changes)
        for name, value in changes.items():
            setattr(locked, name, value)
        _after_rating(locked, new, actor=actor)
    return new


@transaction.atomic
def rating_submit_as_member(
    *, actor, assignment: Assignment, attitude: str, result: str, reason: str = "", via: str = Rating.Via.SESSION
) -> Rating:
    """A standing-committee member rates a motion or key suggestion (双测评); the state is unchanged."""
    assignment = Assignment.objects.select_related("proposal__body__region").get(pk=assignment.pk)
    forbid_unless(permissions.can_rate_as_member(actor, assignment))
    proposal = assignment.proposal
    if proposal.kind != Proposal.Kind.MOTION and not KeySuggestion.objects.filter(proposal=proposal).exists():
        raise IllegalTransition(_("Members rate motions and key suggestions only."))
    if assignment.state not in (State.REPLIED, State.EVALUATED, State.CLOSED):
        raise IllegalTransition(from_state=assignment.state)
    _validate_values(attitude, result, reason)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                proposal=proposal, assignment=assignment, round=assignment.round,
                rater_group=Rating.RaterGroup.MEMBER, rater=actor, attitude=attitude, result=result, reason=reason,
                via=via,
            )
    except IntegrityError as error:
        raise AlreadyRated() from error
    record_event(assignment, actor=actor, verb="member_rated", data={"rating": rating.pk})
    return rating


@transaction.atomic
def rehandling_order(*, actor, assignment: Assignment, note: str = "", on: datetime.date | None = None) -> Assignment:
    """Staff send an unsatisfied result back to the unit: a new round, a reply due in 1 month."""
    locked = _lock_assignment(assignment)
    forbid_unless(permissions.can_decide_for_body(actor, locked))
    if locked.state != State.EVALUATED:
        raise IllegalTransition(from_state=locked.state, to_state=State.REHANDLING)
    rating = effective_deputy_rating(locked)
    if rating is None or rating.result != UNSATISFIED:
        raise NotRehandlable()
    on = on or today()
    due = months_after(locked.proposal.body, "rehandling_reply_months", on)
    transition(
        locked, to=State.REHANDLING, actor=actor, verb="rehandling_ordered", note=note,
        changes={
            "round": locked.round + 1,
            "reply_due": due.due,
            "reply_due_basis": due.basis,
            "rating_status": Assignment.RatingStatus.NONE,
            "rating_due": None,
            "rating_due_basis": {},
            "replied_on": None,
            "rehandling_order_due": None,
            "rehandling_order_due_basis": {},
        },
        data={"round": locked.round + 1, "reply_due": due.due.isoformat()},
    )
    advance_proposal(locked.proposal, actor=actor)
    notify(recipients=unit_officer_ids([locked.unit_id]) + signer_user_ids(locked.proposal),
           kind="suggestions.rehandling", title=_("Re-handling ordered: %(title)s") % {"title": locked.proposal.title},
           body=note, dedupe_key=f"rehandling:assignment-{locked.pk}:round-{locked.round}")
    return locked


@transaction.atomic
def assignment_close(*, actor, assignment: Assignment, note: str = "", on: datetime.date | None = None) -> Assignment:
    """Close a rated or unrated item.

    Staff close an evaluated one (also an unsatisfied one they decide not to send back). The
    system (actor None) closes it after the evaluation window: a replied item nobody rated is
    marked "not rated", never satisfied.
    """
    locked = _lock_assignment(assignment)
    on = on or today()
    if actor is not None:
        forbid_unless(permissions.can_decide_for_body(actor, locked))
    elif not (locked.rating_due and on > locked.rating_due):
        raise IllegalTransition(from_state=locked.state, to_state=State.CLOSED)
    changes = {}
    if locked.state == State.REPLIED:
        if actor is not None and locked.rating_due and on <= locked.rating_due:
            # The deputy still has time: staff cannot close it under them.
            raise IllegalTransition(from_state=locked.state, to_state=State.CLOSED)
        changes["rating_status"] = Assignment.RatingStatus.NOT_RATED
    elif locked.state == State.EVALUATED and actor is None and locked.rehandling_order_due:
        # An unsatisfied result waits for staff's re-handling decision.
        raise IllegalTransition(from_state=locked.state, to_state=State.CLOSED)
    verb = "not_rated" if changes else "closed"
    transition(locked, to=State.CLOSED, actor=actor, verb=verb, note=note, changes=changes,
               expected=(State.REPLIED, State.EVALUATED))
    advance_proposal(locked.proposal, actor=actor)
    return locked


def assignments_close_after_window(*, on: datetime.date | None = None, batch_size: int = 200) -> int:
    """Daily: close items whose evaluation window has ended (unrated ones as "not rated")."""
    on = on or today()
    due = Assignment.objects.filter(
        Q(state=State.REPLIED) | Q(state=State.EVALUATED, rehandling_order_due__isnull=True), rating_due__lt=on
    ).order_by("pk")
    closed = 0
    for pk in list(due.values_list("pk", flat=True)[: batch_size * 50]):
        try:
            assignment_close(actor=None, assignment=Assignment(pk=pk), on=on)
            closed += 1
        except IllegalTransition:
            continue  # changed by someone since it was read
    return closed
