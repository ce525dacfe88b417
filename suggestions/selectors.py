"""Every read the screens and the API need, scoped to the user and preloaded."""

import datetime

from django.db.models import Prefetch, QuerySet

from congress.models import Event
from congress.similarity import bigrams, jaccard
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
        .select_related(
            "body__region", "term", "session", "category", "lead_deputy", "outcome", "return_reason", "merge_group"
        )
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


def merged_with(user, proposal: Proposal) -> list[Proposal]:
    """The proposals handled together with this one (并案) that the user may read, main first."""
    if proposal.merge_group_id is None:
        return []
    members = (
        permissions.visible_proposals(user)
        .filter(merge_group_id=proposal.merge_group_id)
        .exclude(pk=proposal.pk)
        .select_related("lead_deputy", "merge_group")
    )
    return sorted(members, key=lambda member: (member.pk != member.merge_group.main_id, member.pk))


SIMILARITY_CANDIDATES = 300
SIMILARITY_THRESHOLD = 0.25


def similar_proposals(body, title: str, *, exclude_pk: int | None = None, limit: int = 5,
                      threshold: float = SIMILARITY_THRESHOLD) -> list[tuple[float, Proposal]]:
    """The body's recent proposals whose titles read alike, best first.

    Shown to the deputy filing (who may co-sign instead) and to the office reviewing and assigning
    (who may merge them for handling together). Drafts and confidential proposals are never shown
    to another deputy. Candidates are bounded
    (the newest `SIMILARITY_CANDIDATES`), so the cost is one query and a small loop.
    """
    grams = bigrams(title)
    if len(grams) < 2:
        return []
    candidates = (
        Proposal.objects.filter(body=body, is_confidential=False)
        .exclude(state__in=(Proposal.State.DRAFT, Proposal.State.WITHDRAWN))
        .exclude(pk=exclude_pk)
        .only("pk", "title", "number", "state", "kind", "received_on", "merge_group_id")
        .order_by("-pk")[:SIMILARITY_CANDIDATES]
    )
    scored = [(jaccard(grams, bigrams(candidate.title)), candidate) for candidate in candidates]
    scored = [(score, candidate) for score, candidate in scored if score >= threshold]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return scored[:limit]


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
