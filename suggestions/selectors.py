"""Every read the screens and the API need, scoped to the user and preloaded."""

import datetime

from django.db.models import Prefetch, QuerySet

from congress.models import Event
from suggestions import permissions
from suggestions.models import Assignment, Proposal, Rating, Signer


def proposal_list(user, *, state: str | None = None, kind: str | None = None, body=None,
                  updated_since: datetime.datetime | None = None) -> QuerySet[Proposal]:
    proposals = permissions.visible_proposals(user).select_related(
        "body", "term", "session", "category", "lead_deputy", "outcome"
    )
    if state:
        proposals = proposals.filter(state=state)
    if kind:
        proposals = proposals.filter(kind=kind)
    if body is not None:
        proposals = proposals.filter(body=body)
    if updated_since is not None:
        proposals = proposals.filter(updated_at__gte=updated_since)
    return proposals.order_by("-updated_at", "-pk")


def proposal_detail(user, pk: int) -> Proposal:
    """One proposal the user may read, with signers, assignments and attachments; else DoesNotExist."""
    return (
        permissions.visible_proposals(user)
        .select_related("body__region", "term", "session", "category", "lead_deputy", "outcome", "return_reason")
        .prefetch_related(
            Prefetch("signers", queryset=Signer.objects.select_related("deputy")),
            Prefetch(
                "assignments",
                queryset=permissions.visible_assignments(user).select_related("unit").prefetch_related(
                    "replies__reply_class", "replies__commitments", "contacts", "extensions"
                ),
            ),
            "attachments",
        )
        .get(pk=pk)
    )


def unit_assignments(user, *, open_only: bool = True) -> QuerySet[Assignment]:
    """The unit officer's own items with their deadlines, soonest first."""
    assignments = permissions.visible_assignments(user).select_related("proposal__lead_deputy", "unit")
    if open_only:
        assignments = assignments.filter(state__in=Assignment.ACTIVE_STATES)
    return assignments.order_by("reply_due", "pk")


def deadlines_board(user, *, today: datetime.date, soon_days: int = 14) -> dict[str, QuerySet[Assignment]]:
    active = permissions.visible_assignments(user).filter(
        role__in=Assignment.ANSWERING_ROLES, state__in=Assignment.ACTIVE_STATES
    ).select_related("proposal", "unit")
    return {
        "overdue": active.filter(reply_due__lt=today).order_by("reply_due", "pk"),
        "due_soon": active.filter(
            reply_due__gte=today, reply_due__lte=today + datetime.timedelta(days=soon_days)
        ).order_by("reply_due", "pk"),
    }


def ratings_for(user, assignment: Assignment) -> QuerySet[Rating]:
    """The ratings of an assignment the user may read (the unit only once submitted)."""
    return (
        permissions.visible_ratings(user)
        .filter(assignment=assignment)
        .select_related("deputy", "rater", "entered_by", "corrects")
        .order_by("round", "submitted_at", "pk")
    )


def timeline(proposal: Proposal) -> QuerySet[Event]:
    """The proposal's events with those of its assignments, in order (caller checked visibility)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    assignment_ids = [str(pk) for pk in proposal.assignments.values_list("pk", flat=True)]
    return (
        Event.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Proposal), object_id=str(proposal.pk))
            | Q(content_type=ContentType.objects.get_for_model(Assignment), object_id__in=assignment_ids)
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def public_replied_proposals(*, year: int | None = None, unit=None, category=None) -> QuerySet[Proposal]:
    """Published replies: never confidential ones."""
    proposals = Proposal.objects.public().select_related("category", "outcome", "body")
    if year:
        proposals = proposals.filter(received_on__year=year)
    if unit is not None:
        proposals = proposals.filter(assignments__unit=unit).distinct()
    if category is not None:
        proposals = proposals.filter(category=category)
    return proposals.order_by("-received_on", "-pk")
