"""What the face-to-face session pages read: the sessions a user may see, the agenda, the deputies'
meeting requests, the items a person may rate at a session, and the results per item.

Each function costs a fixed number of queries whatever the agenda's length.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch

from congress.models import Event
from suggestions import permissions
from suggestions.models import AgendaItem, Assignment, FaceToFaceSession, KeySuggestion, Proposal, Rating, Reply

MEMBER_RATEABLE_STATES = (Assignment.State.REPLIED, Assignment.State.EVALUATED, Assignment.State.CLOSED)
REQUESTS_SHOWN = 50


def session_list(user, *, state: str = ""):
    sessions = (
        permissions.visible_sessions(user)
        .select_related("body")
        .annotate(item_count=Count("agenda", distinct=True))
        .order_by("-starts_at", "-pk")
    )
    return sessions.filter(state=state) if state else sessions


def session_get(user, pk: int) -> FaceToFaceSession:
    return (
        permissions.visible_sessions(user)
        .select_related("body__region")
        .prefetch_related("units", "deputies", "members")
        .get(pk=pk)
    )


def agenda_item_get(user, pk: int) -> AgendaItem:
    return (
        AgendaItem.objects.filter(session__in=permissions.visible_sessions(user).values("pk"))
        .select_related("session")
        .get(pk=pk)
    )


def agenda(session: FaceToFaceSession) -> list[AgendaItem]:
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("assignment__unit", "assignment__proposal__lead_deputy")
        .order_by("position", "pk")
    )
    keys = _key_proposal_ids([item.assignment.proposal_id for item in items])
    for item in items:
        item.member_rated = _member_rateable(item.assignment, keys)
    return items


def _key_proposal_ids(proposal_ids) -> set[int]:
    return set(KeySuggestion.objects.filter(proposal_id__in=proposal_ids).values_list("proposal_id", flat=True))


def _member_rateable(assignment: Assignment, key_proposal_ids: set[int]) -> bool:
    """双测评 applies to motions and key suggestions that have a reply (DESIGN §4)."""
    proposal = assignment.proposal
    return (
        (proposal.kind == Proposal.Kind.MOTION or proposal.pk in key_proposal_ids)
        and assignment.state in MEMBER_RATEABLE_STATES
    )



def meeting_requests(user, body_ids=None) -> list[Event]:
    """The deputies' latest requests for a face-to-face meeting on proposals the user may read,
    each with its proposal and the sessions it is already on the agenda of."""
    events = list(
        Event.objects.filter(content_type=ContentType.objects.get_for_model(Proposal), verb="meeting_requested")
        .select_related("actor")
        .order_by("-created_at", "-pk")[: REQUESTS_SHOWN * 2]
    )
    proposal_ids = {int(event.object_id) for event in events}
    proposals = permissions.visible_proposals(user).filter(pk__in=proposal_ids).select_related("lead_deputy")
    if body_ids is not None:
        proposals = proposals.filter(body_id__in=body_ids)
    by_pk = {proposal.pk: proposal for proposal in proposals}
    placed = {}
    for proposal_id, session_id, title in AgendaItem.objects.filter(
        assignment__proposal_id__in=list(by_pk)
    ).values_list("assignment__proposal_id", "session_id", "session__title").distinct():
        placed.setdefault(proposal_id, {})[session_id] = title
    shown = []
    for event in events:
        proposal = by_pk.get(int(event.object_id))
        if proposal is None:
            continue
        event.proposal = proposal
        event.sessions = placed.get(proposal.pk, {})
        shown.append(event)
    return shown[:REQUESTS_SHOWN]


def session_timeline(session: FaceToFaceSession):
    return Event.objects.for_object(session).select_related("actor").order_by("created_at", "pk")


# ---- the session's phone page -----------------------------------------------------------------


def portal_session(user, pk: int) -> FaceToFaceSession:
    """A session whose page the user may open: a deputy with an item of their own on its agenda,
    or an invited standing-committee member. Anyone else: DoesNotExist (a 404)."""
    session = FaceToFaceSession.objects.select_related("body__region").get(pk=pk)
    mine = AgendaItem.objects.filter(session=session, assignment__proposal__lead_deputy__user=user).exists()
    if not (mine or permissions.can_rate_at_session_as_member(user, session)):
        raise FaceToFaceSession.DoesNotExist
    return session


def _rating_prefetch(user, group: str) -> Prefetch:
    return Prefetch(
        "assignment__ratings",
        queryset=Rating.objects.filter(rater=user, rater_group=group, correction__isnull=True),
        to_attr="mine",
    )


def items_for_deputy(user, session: FaceToFaceSession) -> list[AgendaItem]:
    """The agenda items the deputy rates: the handling of proposals they lead (only the lead
    deputy rates, DESIGN §4), each with their own rating of the item's round if given."""
    items = list(
        AgendaItem.objects.filter(session=session, assignment__proposal__lead_deputy__user=user)
        .select_related("assignment__unit", "assignment__proposal")
        .prefetch_related(_rating_prefetch(user, Rating.RaterGroup.DEPUTY))
        .order_by("position", "pk")
    )
    for item in items:
        item.my_rating = next((r for r in item.assignment.mine if r.round == item.round), None)
        item.rateable = item.my_rating is None and item.assignment.state == Assignment.State.REPLIED
    return items


def items_for_member(user, session: FaceToFaceSession) -> list[AgendaItem]:
    """The motions and key suggestions on the agenda with a reply, for an invited member."""
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("assignment__unit", "assignment__proposal")
        .prefetch_related(_rating_prefetch(user, Rating.RaterGroup.MEMBER))
        .order_by("position", "pk")
    )
    keys = _key_proposal_ids([item.assignment.proposal_id for item in items])
    items = [item for item in items if _member_rateable(item.assignment, keys)]
    for item in items:
        item.my_rating = next((r for r in item.assignment.mine if r.round == item.assignment.round), None)
        item.rateable = item.my_rating is None
    return items


def deputy_item(user, session: FaceToFaceSession, item_pk: int) -> AgendaItem:
    return (
        AgendaItem.objects.filter(session=session, assignment__proposal__lead_deputy__user=user)
        .select_related("session", "assignment__unit", "assignment__proposal__lead_deputy")
        .get(pk=item_pk)
    )


def current_reply(assignment: Assignment) -> Reply | None:
    """The reply of the assignment's current round (or its latest), with class and commitments."""
    replies = list(
        Reply.objects.filter(assignment=assignment).select_related("reply_class").prefetch_related("commitments")
        .order_by("round", "pk")
    )
    return next((reply for reply in replies if reply.round == assignment.round), replies[-1] if replies else None)


def member_item(user, session: FaceToFaceSession, item_pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(session=session)
        .select_related("session", "assignment__unit", "assignment__proposal")
        .get(pk=item_pk)
    )
    if not _member_rateable(item.assignment, _key_proposal_ids([item.assignment.proposal_id])):
        raise AgendaItem.DoesNotExist
    return item


# ---- results --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts of one rater group's ratings, per dimension and value."""

    count: int = 0
    attitude: Counter = field(default_factory=Counter)
    result: Counter = field(default_factory=Counter)

    def add(self, rating: Rating) -> None:
        self.count += 1
        self.attitude[rating.attitude] += 1
        self.result[rating.result] += 1


@dataclass
class ItemResult:
    item: AgendaItem
    deputy: Rating | None = None
    members: Tally = field(default_factory=Tally)
    member_ratings: list = field(default_factory=list)


@dataclass
class SessionResults:
    items: list
    # The deputies' ratings by where they were given: at the session, on paper (entered by staff,
    # reported apart as everywhere), or elsewhere (portal, single-use link).
    deputies_at_session: Tally = field(default_factory=Tally)
    deputies_on_paper: Tally = field(default_factory=Tally)
    deputies_elsewhere: Tally = field(default_factory=Tally)
    members: Tally = field(default_factory=Tally)


def results(session: FaceToFaceSession) -> SessionResults:
    """Per agenda item, the deputy's rating of the item's round and the members' ratings, counted
    apart; a correction replaces the rating it corrects, so each rater counts once."""
    items = agenda(session)
    ratings = (
        Rating.objects.filter(assignment_id__in=[item.assignment_id for item in items], correction__isnull=True)
        .select_related("rater")
        .order_by("submitted_at", "pk")
    )
    by_key = {}
    for rating in ratings:
        by_key.setdefault((rating.assignment_id, rating.round), []).append(rating)
    summary = SessionResults(items=[])
    for item in items:
        row = ItemResult(item=item)
        for rating in by_key.get((item.assignment_id, item.round), []):
            if rating.rater_group == Rating.RaterGroup.MEMBER:
                row.members.add(rating)
                row.member_ratings.append(rating)
                summary.members.add(rating)
                continue
            row.deputy = rating
            if rating.via == Rating.Via.PAPER:
                summary.deputies_on_paper.add(rating)
            elif rating.via == Rating.Via.SESSION:
                summary.deputies_at_session.add(rating)
            else:
                summary.deputies_elsewhere.add(rating)
        summary.items.append(row)
    return summary
