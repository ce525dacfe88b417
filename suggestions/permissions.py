"""Who may see and do what with proposals, assignments and ratings.

Scope: staff, leaders, members and auditors read the proposals of the bodies in their region
(drafts stay private to their signers); a deputy sees the proposals they lead or signed; a unit
officer sees the proposals assigned to their unit; a township officer reads the proposals of the
deputies of their town (and of their town's own congress). Public pages see only
non-confidential proposals that have a reply.
"""

from django.db.models import Exists, OuterRef, Q
from rest_framework.permissions import BasePermission

from congress.models.accounts import Role
from congress.permissions import grants, has_role, is_active_user, paths_for_roles, unit_ids
from suggestions.models import Assignment, FaceToFaceSession, Proposal, Rating, Signer

STAFF_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN})
READ_ROLES = frozenset({*STAFF_ROLES, Role.LEADER, Role.MEMBER, Role.AUDITOR})
KEY_DESIGNATION_ROLES = frozenset({Role.STAFF_ADMIN, Role.LEADER, Role.SYSTEM_ADMIN})
MEMBER_RATER_ROLES = frozenset({Role.MEMBER, Role.LEADER})




def _reaches(user, roles, body) -> bool:
    if not is_active_user(user):
        return False
    paths = paths_for_roles(user, roles)
    return paths is None or any(body.region.path.startswith(path) for path in paths)


def _path_q(paths: list[str] | None, lookup: str) -> Q | None:
    if paths is None:
        return None
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{lookup}__startswith": path})
    return query


def _is_own_deputy(user, deputy) -> bool:
    return (
        is_active_user(user)
        and deputy.user_id is not None
        and deputy.user_id == user.pk
        and has_role(user, Role.DEPUTY)
    )


# ---- predicates ----------------------------------------------------------------------------


def is_staff_for(user, body) -> bool:
    return _reaches(user, STAFF_ROLES, body)


def can_file(user, deputy) -> bool:
    """A deputy files proposals for their own serving mandate only."""
    return _is_own_deputy(user, deputy) and deputy.is_serving


def can_edit_draft(user, proposal) -> bool:
    return proposal.state == Proposal.State.DRAFT and _is_own_deputy(user, proposal.lead_deputy)


def can_confirm_signature(user, signer) -> bool:
    return _is_own_deputy(user, signer.deputy)


def can_submit(user, proposal) -> bool:
    return _is_own_deputy(user, proposal.lead_deputy)


def can_review(user, proposal) -> bool:
    """Accept, return, convert a motion: the office staff of the proposal's body."""
    return is_staff_for(user, proposal.body)


def can_withdraw(user, proposal) -> bool:
    return _is_own_deputy(user, proposal.lead_deputy) or is_staff_for(user, proposal.body)


def can_assign(user, proposal) -> bool:
    return is_staff_for(user, proposal.body)


def can_merge(user, proposal) -> bool:
    """Merge similar proposals for handling together (并案), or undo it: the office staff."""
    return is_staff_for(user, proposal.body)


def can_act_for_unit(user, assignment) -> bool:
    """Object, record contacts, request extensions, reply: the officers of the assigned unit."""
    return is_active_user(user) and assignment.unit_id in unit_ids(user)


def can_decide_for_body(user, assignment) -> bool:
    """Reassign, decide objections and extensions, order re-handling, urge: the office staff."""
    return is_staff_for(user, assignment.proposal.body)


def can_rate(user, assignment) -> bool:
    """Only the lead deputy's own account rates the handling (DESIGN §4, the guard against 被满意)."""
    return _is_own_deputy(user, assignment.proposal.lead_deputy)


def can_rate_as_member(user, assignment) -> bool:
    """Standing-committee members rate motions and key suggestions in a second rater group."""
    return can_rate_as_member_of(user, assignment.proposal.body)


def can_rate_as_member_of(user, body) -> bool:
    return _reaches(user, MEMBER_RATER_ROLES, body)


def can_enter_paper_rating(user, assignment) -> bool:
    return is_staff_for(user, assignment.proposal.body)


def can_designate_key(user, proposal) -> bool:
    return _reaches(user, KEY_DESIGNATION_ROLES, proposal.body)


def can_view_proposal(user, proposal) -> bool:
    return visible_proposals(user).filter(pk=proposal.pk).exists()


# ---- console pages (who may open them at all; each object is still checked above) ----------


def can_work_proposals(user) -> bool:
    """The office's console pages: intake, assignment, deadlines, extensions, urging, re-handling."""
    return is_active_user(user) and (user.is_superuser or has_role(user, *STAFF_ROLES))


def can_follow_key_suggestions(user) -> bool:
    return is_active_user(user) and (user.is_superuser or has_role(user, *STAFF_ROLES, Role.LEADER))


def can_read_statistics(user) -> bool:
    return is_active_user(user) and (user.is_superuser or has_role(user, *READ_ROLES))


def can_export_statistics(user) -> bool:
    return is_active_user(user) and (user.is_superuser or has_role(user, *STAFF_ROLES, Role.LEADER))


def can_handle_for_unit(user) -> bool:
    """The unit officers' pages: their own unit's assignments."""
    return is_active_user(user) and bool(unit_ids(user))


# ---- scoped querysets ----------------------------------------------------------------------


def visible_proposals(user):
    """Every proposal the user may read, for lists, details, exports and the API."""
    if not is_active_user(user):
        return Proposal.objects.none()
    read_scope = _path_q(paths_for_roles(user, READ_ROLES), "body__region__path")
    not_draft = ~Q(state=Proposal.State.DRAFT)
    scope = not_draft if read_scope is None else read_scope & not_draft
    if has_role(user, Role.DEPUTY):
        scope |= Q(lead_deputy__user=user) | Exists(Signer.objects.filter(proposal=OuterRef("pk"), deputy__user=user))
    units = unit_ids(user)
    if units:
        scope |= Exists(Assignment.objects.filter(proposal=OuterRef("pk"), unit_id__in=units))
    for grant in grants(user):
        if grant.role == Role.TOWNSHIP_OFFICER and grant.region_id:
            path = grant.region.path
            scope |= not_draft & (
                Q(body__region__path__startswith=path)
                | Q(lead_deputy__constituency__region__path__startswith=path)
                | Q(lead_deputy__delegation__region__path__startswith=path)
            )
    return Proposal.objects.filter(scope)


def confidential_readable_proposals(user):
    """Proposals whose confidential content (text, replies, files) the user may read: the body's
    readers, the signers and the assigned units. A township office lists its town's deputies'
    proposals but reads only that a confidential one exists (DESIGN §4)."""
    if not is_active_user(user):
        return Proposal.objects.none()
    paths = paths_for_roles(user, READ_ROLES)
    if paths is None:
        return Proposal.objects.all()
    scope = _path_q(paths, "body__region__path")
    if has_role(user, Role.DEPUTY):
        scope |= Exists(Signer.objects.filter(proposal=OuterRef("pk"), deputy__user=user))
    units = unit_ids(user)
    if units:
        scope |= Exists(Assignment.objects.filter(proposal=OuterRef("pk"), unit_id__in=units))
    return Proposal.objects.filter(scope)


def visible_assignments(user):
    if not is_active_user(user):
        return Assignment.objects.none()
    units = unit_ids(user)
    scope = Q(proposal__in=visible_proposals(user).values("pk"))
    if units and not paths_for_roles(user, READ_ROLES) and not user.is_superuser:
        # A unit officer sees their own unit's assignments, not the other units' of the proposal.
        scope = Q(unit_id__in=units)
    return Assignment.objects.filter(scope)


def visible_ratings(user):
    """Ratings the user may read.

    The rater reads their own; staff, leaders and members of the body read all; a unit officer
    reads only submitted ratings of their own unit's assignments (a rating exists only once it is
    submitted, and a co-handling unit never reads the lead unit's).
    """
    if not is_active_user(user):
        return Rating.objects.none()
    scope = Q(rater=user)
    read_scope = _path_q(paths_for_roles(user, READ_ROLES), "proposal__body__region__path")
    if read_scope is None:
        return Rating.objects.all()
    scope |= read_scope
    units = unit_ids(user)
    if units:
        scope |= Q(assignment__unit_id__in=units, submitted_at__isnull=False)
    return Rating.objects.filter(scope)


# ---- face-to-face sessions ----------------------------------------------------------------


def can_manage_sessions(user) -> bool:
    """The office's session pages: list, create, agenda, screen, results."""
    return can_work_proposals(user)


def can_manage_session(user, session) -> bool:
    return is_staff_for(user, session.body)


def can_rate_at_session_as_member(user, session) -> bool:
    """A standing-committee member invited to the session rates its member-rated items there."""
    return can_rate_as_member_of(user, session.body) and session.members.filter(pk=user.pk).exists()


def visible_sessions(user):
    """Staff, leaders, members and auditors read the sessions of their bodies; a unit officer
    reads the sessions their unit attends."""
    if not is_active_user(user):
        return FaceToFaceSession.objects.none()
    read_scope = _path_q(paths_for_roles(user, READ_ROLES), "body__region__path")
    if read_scope is None:
        return FaceToFaceSession.objects.all()
    units = unit_ids(user)
    if units:
        read_scope |= Q(pk__in=FaceToFaceSession.units.through.objects.filter(unit_id__in=units)
                        .values("facetofacesession_id"))
    return FaceToFaceSession.objects.filter(read_scope)


# ---- DRF permission classes wrapping the predicates ----------------------------------------


class CanViewProposal(BasePermission):
    def has_object_permission(self, request, view, obj):
        return can_view_proposal(request.user, obj)
