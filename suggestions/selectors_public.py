"""Reads for the public pages: published replies, never a confidential proposal or a draft
(`Proposal.objects.public()`), in a fixed number of queries whatever the page."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from congress.models import Unit
from suggestions.models import Assignment, Category, Commitment, Proposal, Reply

ANSWERING = Q(role__in=Assignment.ANSWERING_ROLES) & ~Q(state=Assignment.State.REASSIGNED)


def _answering_units():
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(ANSWERING).select_related("unit").order_by("role", "pk"),
        to_attr="answering",
    )


def published_replies(*, year: int | None = None, unit_id: int | None = None, category_id: int | None = None,
                      query: str = "") -> QuerySet[Proposal]:
    proposals = (
        Proposal.objects.public()
        .select_related("body", "category", "outcome", "lead_deputy")
        .prefetch_related(_answering_units())
    )
    if year:
        proposals = proposals.filter(received_on__year=year)
    if unit_id:
        proposals = proposals.filter(
            Exists(Assignment.objects.filter(ANSWERING, proposal=OuterRef("pk"), unit_id=unit_id))
        )
    if category_id:
        proposals = proposals.filter(category_id=category_id)
    query = query.strip()
    if query:
        proposals = proposals.filter(Q(title__icontains=query) | Q(number__icontains=query))
    return proposals.order_by("-received_on", "-pk")


def filter_options() -> dict:
    """The years, units and categories that have published replies (three queries)."""
    public = Proposal.objects.public()
    return {
        "years": [day.year for day in public.dates("received_on", "year", order="DESC")],
        "units": list(
            Unit.objects.filter(
                pk__in=Assignment.objects.filter(ANSWERING, proposal__in=public.values("pk")).values("unit_id")
            ).order_by("name")
        ),
        "categories": list(
            Category.objects.filter(pk__in=public.values("category_id")).order_by("body_id", "order", "name")
        ),
    }


def published_reply(pk: int) -> Proposal:
    """One published proposal with its answering units' replies and commitments; else DoesNotExist."""
    replies = Reply.objects.select_related("reply_class").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk"))
    ).order_by("round")
    assignments = (
        Assignment.objects.filter(ANSWERING).select_related("unit")
        .prefetch_related(Prefetch("replies", queryset=replies)).order_by("role", "pk")
    )
    return (
        Proposal.objects.public()
        .select_related("body", "category", "outcome", "lead_deputy", "session", "term")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="answering"))
        .get(pk=pk)
    )
