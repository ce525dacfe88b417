"""Who may see and change which deputies and duty activities.

Scope follows the region tree: staff of the district body reach every deputy of the district and
its township congresses; a township officer keeps their own town's township deputies and may read
the district deputies elected in their town (constituency or delegation in the town); a deputy
sees their own mandates. Unit officers reach deputies only through the items assigned to them.
"""

from django.db.models import Q

from congress.models import Body
from congress.models.accounts import Role
from congress.permissions import grants, has_role, is_active_user, paths_for_roles

# Roles that read the roster of their scope; the staff roles also keep it.
ROSTER_READ_ROLES = frozenset(
    {
        Role.STAFF_ADMIN,
        Role.STAFF_CLERK,
        Role.SYSTEM_ADMIN,
        Role.LEADER,
        Role.MEMBER,
        Role.AUDITOR,
        Role.TOWNSHIP_OFFICER,
        Role.STATION_KEEPER,
    }
)
ROSTER_WRITE_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN})
UNMASK_ROLES = frozenset({Role.STAFF_ADMIN, Role.SYSTEM_ADMIN})
RULE_ROLES = frozenset({Role.STAFF_ADMIN, Role.SYSTEM_ADMIN})




def _reaches(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path.startswith(prefix) for prefix in paths)


def _township_officer_paths(user) -> list[str]:
    return [grant.region.path for grant in grants(user) if grant.role == Role.TOWNSHIP_OFFICER and grant.region_id]


# ---- predicates ----------------------------------------------------------------------------


def can_manage_deputies(user, body) -> bool:
    """Create, edit and end mandates of `body`, and enter activities for its deputies.

    Township officers keep their own township congress's deputies (not the district's).
    """
    if not is_active_user(user):
        return False
    if _reaches(paths_for_roles(user, ROSTER_WRITE_ROLES), body.region.path):
        return True
    return not body.is_district and _reaches(_township_officer_paths(user), body.region.path)


def can_manage_deputy(user, deputy) -> bool:
    return can_manage_deputies(user, deputy.body)


def can_verify_activity(user, activity) -> bool:
    """Staff of the activity's body verify self-reports; nobody verifies their own report."""
    if activity.reported_by_id is not None and activity.reported_by_id == getattr(user, "pk", None):
        return False
    return can_manage_deputies(user, activity.body)


def can_report_activity(user, deputy) -> bool:
    """A deputy reports activities for their own serving mandate only."""
    return is_active_user(user) and deputy.user_id == user.pk and deputy.is_serving and has_role(user, Role.DEPUTY)


def can_unmask(user, deputy) -> bool:
    """See a deputy's full ID number and phone (logged with a reason by the service)."""
    if not is_active_user(user):
        return False
    if deputy.user_id is not None and deputy.user_id == user.pk:
        return True
    return _reaches(paths_for_roles(user, UNMASK_ROLES), deputy.body.region.path)


def can_manage_score_rules(user, body) -> bool:
    return is_active_user(user) and _reaches(paths_for_roles(user, RULE_ROLES), body.region.path)


def can_view_deputy(user, deputy) -> bool:
    return visible_deputies(user).filter(pk=deputy.pk).exists()


# Who may download the roster as Excel (SECURITY S15): those who keep it and the leaders.
EXPORT_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN, Role.LEADER, Role.TOWNSHIP_OFFICER})


def can_read_roster(user) -> bool:
    """Reach the roster pages of the console at all; every list is then scoped."""
    if not is_active_user(user):
        return False
    paths = paths_for_roles(user, ROSTER_READ_ROLES)
    return paths is None or bool(paths)


def can_keep_roster(user) -> bool:
    """Keep some congress's roster (add deputies, import, enter and verify activities)."""
    if not is_active_user(user):
        return False
    paths = paths_for_roles(user, ROSTER_WRITE_ROLES)
    return paths is None or bool(paths) or bool(_township_officer_paths(user))


def can_export_roster(user) -> bool:
    """Export the (scoped) roster to Excel; each export is logged."""
    if not is_active_user(user):
        return False
    paths = paths_for_roles(user, EXPORT_ROLES)
    return paths is None or bool(paths)


# ---- scoped querysets ----------------------------------------------------------------------


def _roster_scope(user, roles) -> Q | None:
    """A Q over deputies for the grants of `roles`; None means unlimited."""
    paths = paths_for_roles(user, roles)
    if paths is None:
        return None
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(body__region__path__startswith=path)
    return query


def visible_deputies(user):
    """Every deputy (mandate) the user may read, for lists, details, exports and the API."""
    from deputies.models import Deputy

    if not is_active_user(user):
        return Deputy.objects.none()
    scope = _roster_scope(user, ROSTER_READ_ROLES)
    if scope is None:
        return Deputy.objects.all()
    for path in _township_officer_paths(user):
        # District deputies elected in the officer's town, read-only (see can_manage_deputies).
        scope |= Q(constituency__region__path__startswith=path) | Q(delegation__region__path__startswith=path)
    if has_role(user, Role.DEPUTY):
        scope |= Q(user=user)
    return Deputy.objects.filter(scope)


def manageable_deputies(user):
    """The deputies the user may change: staff in scope, township officers their town's own."""
    from deputies.models import Deputy

    if not is_active_user(user):
        return Deputy.objects.none()
    scope = _roster_scope(user, ROSTER_WRITE_ROLES)
    if scope is None:
        return Deputy.objects.all()
    for path in _township_officer_paths(user):
        scope |= Q(body__level=Body.Level.TOWNSHIP, body__region__path__startswith=path)
    return Deputy.objects.filter(scope)


def visible_activities(user):
    """Activities with at least one participant the user may see."""
    from deputies.models import DutyActivity

    if not is_active_user(user):
        return DutyActivity.objects.none()
    return DutyActivity.objects.filter(participations__deputy__in=visible_deputies(user).values("pk")).distinct()


# ---- outstanding-deputy selection and reports to voters --------------------------------------


def can_run_selection(user, body) -> bool:
    """Open, review, decide and publish a congress's outstanding-deputy selection (its roster keepers)."""
    return can_manage_deputies(user, body)


def can_nominate(user, body, town_path: str | None) -> bool:
    """Nominate a deputy elected in the town at `town_path` (None: no town known).

    The congress's staff nominate anyone; a township officer nominates the deputies elected in
    their own town, district deputies included (nominations are made by town, DESIGN §3).
    """
    if can_manage_deputies(user, body):
        return True
    if not is_active_user(user) or town_path is None:
        return False
    return any(town_path.startswith(path) for path in _township_officer_paths(user))


def can_manage_voter_reports(user, body) -> bool:
    """Plan reports to voters, record the meeting, print ballot slips, enter paper tallies, close."""
    return can_manage_deputies(user, body)


def can_use_outreach_console(user) -> bool:
    """Reach the selection and voter-report pages at all; each page then checks the congress."""
    if not is_active_user(user):
        return False
    paths = paths_for_roles(user, ROSTER_WRITE_ROLES)
    return paths is None or bool(paths) or bool(_township_officer_paths(user))
