"""The reads of the suggestions console: queues and boards for the office, an assignment with
everything its unit works with. Every list is scoped through `suggestions.permissions` and
preloaded, so a page costs the same number of queries for 5 items or 50."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from congress.models import Event
from suggestions import permissions
from suggestions.models import (
    Assignment,
    CoHandlerOpinion,
    Contact,
    Extension,
    KeySuggestion,
    KeySuggestionProgress,
    Objection,
    Proposal,
    Reply,
)
from suggestions.selectors import merged_with

_PROPOSAL_RELATED = ("body", "term", "session", "category", "lead_deputy", "outcome")


def _signer_counts(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.annotate(
        signer_count=Count("signers", distinct=True),
        confirmed_count=Count("signers", filter=Q(signers__confirmed_at__isnull=False), distinct=True),
    )


def intake_queue(user, *, state: str) -> QuerySet[Proposal]:
    """Submitted proposals to review, or accepted ones to assign; a late recess intake first."""
    proposals = (
        permissions.visible_proposals(user)
        .filter(state=state)
        .select_related(*_PROPOSAL_RELATED)
    )
    return _signer_counts(proposals).order_by("intake_due", "submitted_at", "pk")


def intake_deadlines(user, *, today: datetime.date, soon_days: int = 3) -> QuerySet[Proposal]:
    """Recess proposals not yet assigned whose assignment deadline has passed or is near."""
    return (
        permissions.visible_proposals(user)
        .filter(
            state__in=(Proposal.State.SUBMITTED, Proposal.State.ACCEPTED),
            intake_due__lte=today + datetime.timedelta(days=soon_days),
        )
        .select_related(*_PROPOSAL_RELATED)
        .order_by("intake_due", "pk")
    )


def pending_extensions(user) -> QuerySet[Extension]:
    return (
        Extension.objects.filter(
            state=Extension.State.REQUESTED, assignment__in=permissions.visible_assignments(user).values("pk")
        )
        .select_related("assignment__proposal", "assignment__unit", "requested_by")
        .order_by("requested_at", "pk")
    )


def pending_objections(user) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(
            decision=Objection.Decision.PENDING, assignment__in=permissions.visible_assignments(user).values("pk")
        )
        .select_related("assignment__proposal", "assignment__unit", "raised_by")
        .order_by("raised_at", "pk")
    )


def rehandling_decisions(user) -> QuerySet[Assignment]:
    """Items rated unsatisfied on the result, waiting for staff to order re-handling (or close)."""
    return (
        permissions.visible_assignments(user)
        .filter(state=Assignment.State.EVALUATED, rehandling_order_due__isnull=False)
        .select_related("proposal", "unit")
        .order_by("rehandling_order_due", "pk")
    )


def key_suggestions(user, *, year: int | None = None) -> QuerySet[KeySuggestion]:
    keys = KeySuggestion.objects.filter(proposal__in=permissions.visible_proposals(user).values("pk"))
    if year:
        keys = keys.filter(year=year)
    return (
        keys.select_related("proposal__outcome", "supervising_leader", "committee", "carried_over_from")
        .prefetch_related(
            Prefetch("progress", queryset=KeySuggestionProgress.objects.select_related("author").order_by(
                "-noted_on", "-pk"
            ))
        )
        .order_by("-year", "is_solved", "proposal__number", "pk")
    )


def key_suggestion_get(user, pk: int) -> KeySuggestion:
    return KeySuggestion.objects.select_related("proposal__body__region").get(
        pk=pk, proposal__in=permissions.visible_proposals(user).values("pk")
    )


def assignment_get(user, pk: int) -> Assignment:
    """One assignment the user may see (a unit officer: only their own unit's); else DoesNotExist."""
    return (
        permissions.visible_assignments(user)
        .select_related("proposal__body__region", "proposal__lead_deputy", "proposal__category", "unit")
        .get(pk=pk)
    )


def assignment_workspace(user, assignment: Assignment) -> dict:
    """What the unit's page shows of one assignment, each list in one query."""
    return {
        "merged_with": merged_with(user, assignment.proposal),
        "contacts": list(Contact.objects.filter(assignment=assignment).select_related("recorded_by")),
        "replies": list(
            Reply.objects.filter(assignment=assignment)
            .select_related("reply_class")
            .prefetch_related("commitments", "co_opinions__assignment__unit")
            .order_by("round")
        ),
        "extensions": list(Extension.objects.filter(assignment=assignment).order_by("requested_at", "pk")),
        "objections": list(Objection.objects.filter(assignment=assignment).order_by("raised_at", "pk")),
        # The lead unit reads the co-handlers' opinions on the proposal; a co-handler its own.
        "co_opinions": list(
            CoHandlerOpinion.objects.filter(
                Q(assignment=assignment)
                | Q(assignment__proposal_id=assignment.proposal_id) & Q(pk__in=_lead_readable(assignment))
            ).select_related("assignment__unit")
        ),
    }


def _lead_readable(assignment: Assignment):
    if assignment.role != Assignment.Role.LEAD:
        return CoHandlerOpinion.objects.none().values("pk")
    return CoHandlerOpinion.objects.filter(assignment__proposal_id=assignment.proposal_id).values("pk")


def urging_events(assignment: Assignment) -> QuerySet[Event]:
    return Event.objects.for_object(assignment).filter(verb="urged").select_related("actor").order_by("-created_at")


def urging_event_get(assignment: Assignment, pk: int) -> Event:
    return urging_events(assignment).get(pk=pk)
