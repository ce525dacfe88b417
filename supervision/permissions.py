"""Who may see and do what in supervision.

Scope: the office staff, leaders, members and auditors of a body read its whole supervision work
(in their region); a unit officer sees only the topics their unit is supervised on and the ledger
items their unit owns; a township officer reads the published topics of the bodies above and in
their town, and the proposals their office collected; a deputy reads published topics and their
own proposals. Members vote; the chairpersons' meeting (leaders) adopts the plan.
"""

from django.db.models import Exists, OuterRef, Q
from rest_framework.permissions import BasePermission

from congress.models.accounts import Role
from congress.permissions import grants, has_role, is_active_user, paths_for_roles, unit_ids
from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    LetterVisit,
    OpinionUnit,
    RectificationItem,
    Topic,
    TopicProposal,
    WorkEvaluation,
)

STAFF_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN})
READ_ROLES = frozenset({*STAFF_ROLES, Role.LEADER, Role.MEMBER, Role.AUDITOR})
VOTER_ROLES = frozenset({Role.MEMBER, Role.LEADER})
# Topics the public and township offices may read: those of an adopted plan now published.
PUBLISHED_PLAN_STATES = (AnnualPlan.State.PUBLISHED, AnnualPlan.State.ADJUSTING)


def _active(user) -> bool:
    return is_active_user(user)


def _paths_for(user, wanted_roles) -> list[str] | None:
    return paths_for_roles(user, wanted_roles)


def _path_q(paths: list[str] | None, lookup: str) -> Q | None:
    if paths is None:
        return None
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{lookup}__startswith": path})
    return query


def _reaches(user, roles, body) -> bool:
    if not _active(user):
        return False
    paths = _paths_for(user, roles)
    return paths is None or any(body.region.path.startswith(path) for path in paths)


def _township_paths(user) -> list[str]:
    return [grant.region.path for grant in grants(user) if grant.role == Role.TOWNSHIP_OFFICER and grant.region_id]


# ---- predicates ----------------------------------------------------------------------------


def is_staff_for(user, body) -> bool:
    return _reaches(user, STAFF_ROLES, body)


def can_manage_solicitation(user, body) -> bool:
    return is_staff_for(user, body)


def can_propose_for_deputy(user, deputy) -> bool:
    return (
        _active(user) and deputy.user_id == user.pk and deputy.is_serving and has_role(user, Role.DEPUTY)
    )


def can_propose_as_township(user, region) -> bool:
    return _active(user) and any(region.path.startswith(path) for path in _township_paths(user))


def can_decide_proposal(user, proposal) -> bool:
    """Merge, adopt, decline: the office staff of the body."""
    return is_staff_for(user, proposal.body)


def can_edit_plan(user, plan) -> bool:
    return is_staff_for(user, plan.body)


def can_adopt_plan(user, plan) -> bool:
    """The chairpersons' meeting adopts the plan (DESIGN §5): a leader of the body."""
    return _reaches(user, {Role.LEADER}, plan.body)


def can_work_topic(user, topic) -> bool:
    """Record activities, draft opinions, open and close votes, keep the ledger: the office staff."""
    return is_staff_for(user, topic.plan.body)


def can_print_documents(user, topic) -> bool:
    """Print a topic's opinion letter and vote-result notice: the office, and the leaders who sign."""
    return _reaches(user, {*STAFF_ROLES, Role.LEADER}, topic.plan.body)


def can_approve_opinions(user, topic) -> bool:
    """Approve a topic's drafted opinions before they are sent: the leaders (and the office's admin)."""
    return _reaches(user, {Role.LEADER, Role.STAFF_ADMIN, Role.SYSTEM_ADMIN}, topic.plan.body)


def can_approve_opinion(user, opinion) -> bool:
    return can_approve_opinions(user, opinion.topic)


def can_report_for_unit(user, unit_id) -> bool:
    """Upload a work or implementation report, fill the ledger: the unit's own officers."""
    return _active(user) and unit_id in unit_ids(user)


def can_report_inquiry(user, inquiry) -> bool:
    """The handling report of a special inquiry: the office, or a unit that was questioned."""
    if can_work_topic(user, inquiry.topic):
        return True
    units = unit_ids(user)
    return bool(units) and inquiry.questions.filter(unit_id__in=units).exists()


def can_vote(user, vote) -> bool:
    """Standing committee members (the leaders are members too) of the vote's body."""
    return _reaches(user, VOTER_ROLES, vote.topic.plan.body)


def can_work_evaluation(user, evaluation) -> bool:
    return is_staff_for(user, evaluation.topic.plan.body)


def can_handle_letters(user, body) -> bool:
    return is_staff_for(user, body)


def can_answer_letter(user, letter) -> bool:
    return is_staff_for(user, letter.body) or (letter.unit_id is not None and can_report_for_unit(user, letter.unit_id))


def can_unmask_letter(user, letter) -> bool:
    """The petitioner's full name and phone: the office that registered it, never the unit."""
    return is_staff_for(user, letter.body)


def staff_bodies(user):
    """The bodies whose office work the user does: those their staff grants reach."""
    from congress.models import Body

    paths = _paths_for(user, STAFF_ROLES)
    if paths is None:
        return Body.objects.all()
    return Body.objects.filter(_path_q(paths, "region__path"))


# ---- console pages -------------------------------------------------------------------------


def can_work_supervision(user) -> bool:
    return _active(user) and (user.is_superuser or has_role(user, *STAFF_ROLES))


def can_read_letters(user) -> bool:
    """The letters list: the body's readers, and unit officers for the letters routed to them."""
    return _active(user) and (user.is_superuser or has_role(user, *READ_ROLES, Role.UNIT_OFFICER))


def can_read_supervision(user) -> bool:
    return _active(user) and (user.is_superuser or has_role(user, *READ_ROLES, Role.UNIT_OFFICER,
                                                            Role.TOWNSHIP_OFFICER))


def can_read_statistics(user) -> bool:
    return _active(user) and (user.is_superuser or has_role(user, *READ_ROLES))


def can_export_statistics(user) -> bool:
    return _active(user) and (user.is_superuser or has_role(user, *STAFF_ROLES, Role.LEADER))


# ---- scoped querysets ----------------------------------------------------------------------


def visible_topics(user):
    """Every topic the user may read. Published topics are public; drafts are the office's."""
    published = Q(plan__state__in=PUBLISHED_PLAN_STATES) & ~Q(state=Topic.State.CANCELLED)
    if not _active(user):
        return Topic.objects.filter(published)
    read = _path_q(_paths_for(user, READ_ROLES), "plan__body__region__path")
    if read is None:
        return Topic.objects.all()
    scope = read
    units = unit_ids(user)
    if units:
        # Exists() rather than a join keeps one row per topic whatever the number of units.
        scope |= Exists(Topic.supervised_units.through.objects.filter(topic_id=OuterRef("pk"), unit_id__in=units))
        scope |= Exists(OpinionUnit.objects.filter(opinion__topic=OuterRef("pk"), unit_id__in=units))
        scope |= Exists(WorkEvaluation.objects.filter(topic=OuterRef("pk"), unit_id__in=units))
    for path in _township_paths(user):
        # A town office reads its own congress's published topics and those of the bodies above
        # it ("/350212/" and "/350212/350212001/" for a path "/350212/350212001/").
        parts = path.strip("/").split("/")
        ancestors = ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
        scope |= published & (
            Q(plan__body__region__path__startswith=path) | Q(plan__body__region__path__in=ancestors)
        )
    if has_role(user, Role.DEPUTY):
        scope |= published
    return Topic.objects.filter(scope)


def visible_proposals(user):
    if not _active(user):
        return TopicProposal.objects.none()
    read = _path_q(_paths_for(user, READ_ROLES), "body__region__path")
    if read is None:
        return TopicProposal.objects.all()
    scope = read | Q(proposer_user=user) | Q(created_by=user)
    if has_role(user, Role.DEPUTY):
        scope |= Q(proposer_deputy__user=user)
    for path in _township_paths(user):
        scope |= Q(source_region__path__startswith=path)
    return TopicProposal.objects.filter(scope)


def visible_opinions(user):
    if not _active(user):
        return DeliberationOpinion.objects.filter(is_published=True)
    read = _path_q(_paths_for(user, READ_ROLES), "topic__plan__body__region__path")
    if read is None:
        return DeliberationOpinion.objects.all()
    scope = read
    units = unit_ids(user)
    if units:
        # A unit sees an opinion once it has been sent to it, never the draft.
        scope |= Exists(OpinionUnit.objects.filter(opinion=OuterRef("pk"), unit_id__in=units)) & ~Q(
            state__in=(DeliberationOpinion.State.DRAFTED, DeliberationOpinion.State.APPROVED)
        )
    return DeliberationOpinion.objects.filter(scope)


def visible_ledger(user):
    """Rectification items: the body's readers see all; a unit sees only the items it owns."""
    if not _active(user):
        return RectificationItem.objects.none()
    paths = _paths_for(user, READ_ROLES)
    if paths is None:
        return RectificationItem.objects.all()
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(opinion__topic__plan__body__region__path__startswith=path)
        scope |= Q(evaluation__topic__plan__body__region__path__startswith=path)
    units = unit_ids(user)
    if units:
        scope |= Q(owner_unit_id__in=units)
    return RectificationItem.objects.filter(scope)


def visible_evaluations(user):
    """Special work evaluations: the body's readers see all; a unit officer only their own unit's."""
    if not _active(user):
        return WorkEvaluation.objects.none()
    read = _path_q(_paths_for(user, READ_ROLES), "topic__plan__body__region__path")
    if read is None:
        return WorkEvaluation.objects.all()
    units = unit_ids(user)
    return WorkEvaluation.objects.filter(read | Q(unit_id__in=units) if units else read)


def visible_letters(user):
    if not _active(user):
        return LetterVisit.objects.none()
    read = _path_q(_paths_for(user, READ_ROLES), "body__region__path")
    if read is None:
        return LetterVisit.objects.all()
    units = unit_ids(user)
    return LetterVisit.objects.filter(read | Q(unit_id__in=units) if units else read)


# ---- DRF permission classes ----------------------------------------------------------------


class CanReadSupervision(BasePermission):
    def has_permission(self, request, view):
        return can_read_supervision(request.user)
