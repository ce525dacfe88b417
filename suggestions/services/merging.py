"""Merged handling (并案): similar proposals of one congress handled together.

Staff merge proposals before assignment; assigning any member then assigns every member to the
same units with the same deadlines, and the unit's contacts and replies cover the whole group
(`suggestions.services.handling`). Each proposal keeps its own number, assignments, replies and
ratings, so every deputy is still answered and rates on their own proposal (DESIGN §4).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.workflow import StaleState, WorkflowError, record_event
from suggestions import permissions
from suggestions.models import Assignment, MergeGroup, Proposal
from suggestions.services.common import forbid_unless

# Before assignment only: once units work on a proposal its handling can no longer be joined.
MERGEABLE_STATES = (Proposal.State.SUBMITTED, Proposal.State.ACCEPTED)


class MergeRefused(WorkflowError):
    code = "merge_refused"
    default_message = gettext_lazy("These proposals cannot be handled together.")


def _label(proposal: Proposal) -> str:
    return proposal.number or proposal.title


def _lock(query: Q) -> dict[int, Proposal]:
    """Lock the proposals in primary-key order (the order every merging write uses)."""
    proposals = (
        Proposal.objects.select_for_update(of=("self",)).select_related("body__region").filter(query).order_by("pk")
    )
    return {proposal.pk: proposal for proposal in proposals}


def lock_with_group(proposal: Proposal) -> tuple[Proposal, list[Proposal]]:
    """Lock a proposal and every proposal merged with it; returns (the proposal, all members).

    A member that joined or left between the read of the group and the lock makes the caller
    start again (`StaleState`) instead of acting on part of the group.
    """
    group_id = Proposal.objects.values_list("merge_group_id", flat=True).get(pk=proposal.pk)
    query = Q(pk=proposal.pk) | Q(merge_group_id=group_id) if group_id else Q(pk=proposal.pk)
    members = _lock(query)
    locked = members[proposal.pk]
    if locked.merge_group_id != group_id or (
        group_id and Proposal.objects.filter(merge_group_id=group_id).count() != len(members)
    ):
        raise StaleState()
    return locked, list(members.values())


def _refuse_unless_mergeable(proposal: Proposal) -> None:
    if proposal.state not in MERGEABLE_STATES:
        raise MergeRefused(
            _("No. %(number)s is %(state)s: only proposals not yet assigned can be merged or unmerged.")
            % {"number": _label(proposal), "state": proposal.get_state_display()}
        )


def _record(members, *, actor, verb: str, others_of) -> None:
    for member in members:
        others = others_of(member)
        if others:
            record_event(
                member, actor=actor, verb=verb, note="、".join(_label(other) for other in others),
                data={"with": [other.pk for other in others]},
            )


def merged_siblings(assignment: Assignment, *, states) -> list[Assignment]:
    """The same unit's assignments, in the same role and round, of the proposals merged with this
    one: a merged group is handled once (并案), so the unit's steps on one cover all of them."""
    group_id = assignment.proposal.merge_group_id
    if group_id is None:
        return []
    return list(
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal__body__region", "proposal__lead_deputy", "unit")
        .filter(proposal__merge_group_id=group_id, unit_id=assignment.unit_id, role=assignment.role,
                round=assignment.round, state__in=states)
        .exclude(pk=assignment.pk)
        .order_by("pk")
    )


@transaction.atomic
def proposal_merge(*, actor, proposal: Proposal, with_proposal: Proposal) -> MergeGroup:
    """Handle `proposal` together with `with_proposal` (并案).

    `proposal` joins the group of `with_proposal` (or the reverse), or the two start a group with
    `with_proposal` as its main proposal. Both must belong to the same congress and be submitted
    or accepted; a proposal in one group cannot join another (unmerge it first). Every member's
    timeline records whom it was merged with.
    """
    if proposal.pk == with_proposal.pk:
        raise MergeRefused(_("A proposal cannot be merged with itself."))
    this, all_this = lock_with_group(proposal)
    other, all_other = lock_with_group(with_proposal)
    forbid_unless(permissions.can_merge(actor, this) and permissions.can_merge(actor, other))
    if this.body_id != other.body_id:
        raise MergeRefused(_("Only proposals of the same congress can be handled together."))
    if this.merge_group_id and this.merge_group_id == other.merge_group_id:
        raise MergeRefused(_("These proposals are already handled together."))
    if this.merge_group_id and other.merge_group_id:
        raise MergeRefused(_("Both proposals already belong to merged handling; unmerge one of them first."))
    for member in {*all_this, *all_other}:
        _refuse_unless_mergeable(member)
    if other.merge_group_id or this.merge_group_id:
        group = MergeGroup.objects.select_for_update().get(pk=other.merge_group_id or this.merge_group_id)
        existing, joining = (all_other, [this]) if other.merge_group_id else (all_this, [other])
    else:
        group = MergeGroup.objects.create(body=other.body, main=other, created_by=actor)
        existing, joining = [], [other, this]
    Proposal.objects.filter(pk__in=[member.pk for member in joining]).update(
        merge_group=group, updated_at=timezone.now()
    )
    members = existing + joining
    _record(members, actor=actor, verb="merged",
            others_of=lambda member: [m for m in members if m.pk != member.pk and (member in joining or m in joining)])
    return group


def leave_merge_group(proposal: Proposal, *, actor) -> None:
    """Take a locked proposal out of its group; a group left with one proposal is dissolved.

    Called by unmerging, and by returning or withdrawing a merged proposal (it will not be handled).
    """
    if proposal.merge_group_id is None:
        return
    locked, members = lock_with_group(proposal)
    group = MergeGroup.objects.select_for_update().get(pk=locked.merge_group_id)
    remaining = [member for member in members if member.pk != locked.pk]
    leaving = members if len(remaining) < 2 else [locked]
    Proposal.objects.filter(pk__in=[member.pk for member in leaving]).update(
        merge_group=None, updated_at=timezone.now()
    )
    _record(members, actor=actor, verb="unmerged",
            others_of=lambda member: [m for m in members if m.pk != member.pk and (member in leaving or m in leaving)])
    if len(remaining) < 2:
        group.delete()
    elif group.main_id == locked.pk:
        group.main = remaining[0]
        group.save(update_fields=["main"])
    proposal.merge_group_id = None


@transaction.atomic
def proposal_unmerge(*, actor, proposal: Proposal) -> Proposal:
    """Take a proposal out of merged handling, before assignment only."""
    locked, _members = lock_with_group(proposal)
    forbid_unless(permissions.can_merge(actor, locked))
    if locked.merge_group_id is None:
        raise MergeRefused(_("This proposal is not merged with others."))
    _refuse_unless_mergeable(locked)
    leave_merge_group(locked, actor=actor)
    proposal.refresh_from_db()
    return proposal
