"""Reads for the deputy's portal pages and the public list of published replies, scoped and
preloaded. A deputy's portal shows the proposals they lead or were asked to sign, nothing else."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from deputies.models import Deputy
from deputies.selectors_directory import my_mandates
from suggestions import permissions
from suggestions.models import Assignment, Attachment, Category, Commitment, Proposal, Rating, RatingLink, Reply, Signer
from suggestions.services.evaluation import _digest as rating_link_digest

ANSWERING = Q(role__in=Assignment.ANSWERING_ROLES) & ~Q(state=Assignment.State.REASSIGNED)
SIGNING_STATES = (Proposal.State.DRAFT, Proposal.State.SUBMITTED)

COSIGNER_RESULTS = 20


class Tab:
    ALL = ""
    TO_SIGN = "to_sign"
    TO_RATE = "to_rate"
    DRAFTS = "drafts"


def _signature_requests(user):
    """My co-signer rows not yet answered, on proposals still open to signing."""
    return Signer.objects.filter(
        deputy__user=user, is_lead=False, confirmed_at__isnull=True, declined_at__isnull=True,
        proposal__state__in=SIGNING_STATES,
    )


def _rating_pending(user, today: datetime.date):
    return Assignment.objects.filter(
        ANSWERING,
        proposal__lead_deputy__user=user,
        state=Assignment.State.REPLIED,
        rating_status=Assignment.RatingStatus.PENDING,
        rating_due__gte=today,
    )


def _mine(user) -> QuerySet[Proposal]:
    return permissions.visible_proposals(user).filter(
        Exists(Signer.objects.filter(proposal=OuterRef("pk"), deputy__user=user))
    )


def my_proposals(user, *, tab: str = Tab.ALL) -> QuerySet[Proposal]:
    """Every proposal the deputy leads or was asked to sign, newest first, with my signature and
    whether a reply waits for my rating (a constant number of queries per page)."""
    today = timezone.localdate()
    proposals = (
        _mine(user)
        .select_related("category", "lead_deputy", "body")
        .annotate(
            awaiting_my_rating=Exists(_rating_pending(user, today).filter(proposal=OuterRef("pk"))),
            awaiting_my_signature=Exists(_signature_requests(user).filter(proposal=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("signers", queryset=Signer.objects.filter(deputy__user=user), to_attr="my_signatures")
        )
    )
    if tab == Tab.TO_SIGN:
        proposals = proposals.filter(awaiting_my_signature=True)
    elif tab == Tab.TO_RATE:
        proposals = proposals.filter(awaiting_my_rating=True)
    elif tab == Tab.DRAFTS:
        proposals = proposals.filter(lead_deputy__user=user, state=Proposal.State.DRAFT)
    return proposals.order_by("-created_at", "-pk")


def my_counts(user) -> dict[str, int]:
    """What the portal's home card counts: my drafts, requests to co-sign, replies to rate."""
    mine = _mine(user)
    return {
        "drafts": mine.filter(lead_deputy__user=user, state=Proposal.State.DRAFT).count(),
        "to_sign": _signature_requests(user).count(),
        "to_rate": _rating_pending(user, timezone.localdate()).count(),
    }


def my_proposal(user, pk: int) -> Proposal:
    """One of my proposals with everything its page shows; DoesNotExist (404) for any other."""
    replies = Reply.objects.select_related("reply_class").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk"))
    )
    assignments = (
        Assignment.objects.exclude(state=Assignment.State.REASSIGNED)
        .select_related("unit")
        .prefetch_related(
            Prefetch("replies", queryset=replies.order_by("round")),
            Prefetch(
                "ratings",
                queryset=permissions.visible_ratings(user)
                .filter(rater_group=Rating.RaterGroup.DEPUTY)
                .order_by("round", "submitted_at", "pk"),
                to_attr="my_ratings",
            ),
        )
        .order_by("role", "pk")
    )
    return (
        _mine(user)
        .select_related("body", "term", "session", "category", "lead_deputy", "outcome", "return_reason")
        .prefetch_related(
            Prefetch("signers", queryset=Signer.objects.select_related("deputy").order_by("-is_lead", "pk")),
            Prefetch("assignments", queryset=assignments),
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        )
        .get(pk=pk)
    )


def my_rateable_assignment(user, proposal_pk: int, assignment_pk: int) -> Assignment:
    """An answering unit's part of a proposal I lead, with its replies; DoesNotExist otherwise.

    Only the lead deputy rates (DESIGN §4), so a co-signer or anyone else gets a 404 here.
    """
    return (
        Assignment.objects.filter(ANSWERING, proposal__lead_deputy__user=user, proposal_id=proposal_pk)
        .filter(proposal__in=permissions.visible_proposals(user).values("pk"))
        .select_related("proposal__lead_deputy", "proposal__body", "unit")
        .prefetch_related(Prefetch("replies", queryset=Reply.objects.select_related("reply_class")
                                   .prefetch_related("commitments").order_by("round")))
        .get(pk=assignment_pk)
    )


def my_rating_link(user, token: str) -> RatingLink | None:
    """The rating link behind a token if it was issued to one of the user's mandates, else None."""
    return (
        RatingLink.objects.filter(digest=rating_link_digest(token), deputy__user=user)
        .select_related("deputy", "assignment__proposal", "assignment__unit")
        .first()
    )


def my_attachment(user, pk: int) -> Attachment:
    return Attachment.objects.filter(proposal__in=_mine(user).values("pk")).get(pk=pk)


def my_reply_document(user, pk: int) -> Reply:
    return Reply.objects.filter(assignment__proposal__in=_mine(user).values("pk")).exclude(document="").get(pk=pk)


# ---- filing -----------------------------------------------------------------------------------


def cosigner_candidates(lead: Deputy, query: str, *, selected_ids=()) -> list[Deputy]:
    """Serving deputies of the lead deputy's congress and term matching the name typed, with the
    ones already picked first (so a new search never drops a choice)."""
    deputies = (
        Deputy.objects.serving()
        .filter(body_id=lead.body_id, term_id=lead.term_id)
        .exclude(pk=lead.pk)
        .select_related("constituency", "delegation")
        .only("pk", "name", "constituency__name", "delegation__name", "body_id", "term_id", "status")
    )
    selected = list(deputies.filter(pk__in=list(selected_ids)).order_by("name", "pk"))
    query = query.strip()
    found = []
    if query:
        found = list(
            deputies.filter(name__icontains=query).exclude(pk__in=[d.pk for d in selected])
            .order_by("name", "pk")[:COSIGNER_RESULTS]
        )
    return selected + found


def categories_for(body) -> QuerySet[Category]:
    return Category.objects.filter(body=body, is_active=True).order_by("order", "name")


__all__ = [
    "Tab", "categories_for", "cosigner_candidates", "my_attachment", "my_counts", "my_mandates", "my_proposal",
    "my_proposals", "my_rateable_assignment", "my_rating_link", "my_reply_document",
]
