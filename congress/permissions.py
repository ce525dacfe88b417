"""Who may do what in the institution, and which rows each person may see.

Permissions are predicates over a user's role grants and their scopes. Every list a screen or an
endpoint shows is fetched through one of the `visible_*` querysets here (or an app's own
`permissions.py` built on `region_paths`), so scope isolation lives in one place per app.
"""

from django.db.models import Q
from rest_framework.permissions import BasePermission

from congress.models import Body, Committee, Region, RoleGrant, Unit, User
from congress.models.accounts import Role

# Roles whose scope is a body (or everything, when granted without one).
BODY_WIDE_ROLES = frozenset(
    {Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.LEADER, Role.MEMBER, Role.AUDITOR, Role.SYSTEM_ADMIN}
)
STAFF_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN})
CONSOLE_ROLES = frozenset(set(Role) - {Role.DEPUTY})
# The leaders' dashboard: the chairpersons' meeting and the office that serves it.
DASHBOARD_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.LEADER, Role.SYSTEM_ADMIN})

# Which scope each role must be granted with; checked by `services.role_grant`.
ROLE_SCOPES = {
    Role.STAFF_ADMIN: ("body",),
    Role.STAFF_CLERK: ("body", "committee"),
    Role.LEADER: ("body",),
    Role.MEMBER: ("body",),
    Role.DEPUTY: ("body",),
    Role.UNIT_OFFICER: ("unit",),
    Role.TOWNSHIP_OFFICER: ("region",),
    Role.STATION_KEEPER: ("region",),
    Role.AUDITOR: ("body",),
    Role.SYSTEM_ADMIN: (),
}


def grants(user) -> list[RoleGrant]:
    """The user's active grants with their scopes, loaded once per request (cached on the user)."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_role_grants_cache", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.active()
            .filter(user=user)
            .select_related("body__region", "committee__body__region", "unit__region", "region")
        )
        user._role_grants_cache = cached
    return cached


def roles(user) -> set[str]:
    return {grant.role for grant in grants(user)}


def has_role(user, *wanted) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return bool(roles(user) & set(wanted))


def is_staff_member(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def grant_path(grant: RoleGrant) -> str | None:
    """The region path a grant reaches; None means the whole platform."""
    if grant.region_id:
        return grant.region.path
    if grant.unit_id:
        return grant.unit.region.path
    if grant.committee_id:
        return grant.committee.body.region.path
    if grant.body_id:
        return grant.body.region.path
    return None


def is_active_user(user) -> bool:
    return bool(user) and user.is_authenticated and user.is_active


def paths_for_roles(user, roles) -> list[str] | None:
    """Region paths the user's grants of `roles` reach; None means everything, [] nothing."""
    if not is_active_user(user):
        return []
    if user.is_superuser:
        return None
    paths = []
    for grant in grants(user):
        if grant.role not in roles:
            continue
        path = grant_path(grant)
        if path is None:
            return None
        paths.append(path)
    return paths


def region_paths(user) -> list[str] | None:
    """Region paths the user may see below; None means unlimited (superusers, unscoped grants)."""
    if user.is_superuser:
        return None
    paths = []
    for grant in grants(user):
        path = grant_path(grant)
        if path is None:
            return None
        paths.append(path)
    return paths


def path_filter(user, lookup: str) -> Q:
    """A Q limiting `lookup` (a region path, e.g. "region__path") to what the user may see."""
    paths = region_paths(user)
    if paths is None:
        return Q()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{lookup}__startswith": path})
    return query


def unit_ids(user) -> set[int]:
    return {grant.unit_id for grant in grants(user) if grant.role == Role.UNIT_OFFICER and grant.unit_id}


# ---- predicates ----------------------------------------------------------------------------


def can_use_console(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(roles(user) & CONSOLE_ROLES)


def can_use_portal(user) -> bool:
    return has_role(user, Role.DEPUTY)


def can_manage_institution(user) -> bool:
    """Regions, bodies, terms, committees, units, rules and the calendar: the staff admin's job."""
    return user.is_superuser or has_role(user, Role.STAFF_ADMIN, Role.SYSTEM_ADMIN)


def can_manage_users(user) -> bool:
    return user.is_superuser or has_role(user, Role.STAFF_ADMIN, Role.SYSTEM_ADMIN)


def can_read_audit(user) -> bool:
    return user.is_superuser or has_role(user, Role.AUDITOR, Role.SYSTEM_ADMIN)


def can_view_leaders_dashboard(user) -> bool:
    return is_active_user(user) and (user.is_superuser or has_role(user, *DASHBOARD_ROLES))


def can_use_api(user) -> bool:
    return can_use_console(user) or can_use_portal(user)


# ---- scoped querysets ----------------------------------------------------------------------


def visible_regions(user):
    if not can_use_api(user):
        return Region.objects.none()
    return Region.objects.filter(path_filter(user, "path"))


def visible_bodies(user):
    if not can_use_api(user):
        return Body.objects.none()
    return Body.objects.filter(path_filter(user, "region__path")).select_related("region", "parent")


def dashboard_bodies(user):
    """The congresses whose dashboard the user may open: those their leader or staff grants reach
    (a township's leader sees their own township's congress only)."""
    if not can_view_leaders_dashboard(user):
        return Body.objects.none()
    paths = paths_for_roles(user, DASHBOARD_ROLES)
    bodies = Body.objects.select_related("region")
    if paths is None:
        return bodies
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(region__path__startswith=path)
    return bodies.filter(scope)


def visible_committees(user):
    if not can_use_api(user):
        return Committee.objects.none()
    return Committee.objects.filter(path_filter(user, "body__region__path")).select_related("body")


def visible_units(user):
    if not can_use_api(user):
        return Unit.objects.none()
    scope = path_filter(user, "region__path")
    if has_role(user, Role.UNIT_OFFICER) and region_paths(user) is not None:
        # A unit officer's scope is the unit itself, not everything in its region.
        scope = Q(pk__in=unit_ids(user)) | path_filter_without_units(user)
    return Unit.objects.filter(scope).select_related("region", "parent")


def path_filter_without_units(user) -> Q:
    query = Q(pk__in=[])
    for grant in grants(user):
        if grant.role == Role.UNIT_OFFICER:
            continue
        path = grant_path(grant)
        if path is None:
            return Q()
        query |= Q(region__path__startswith=path)
    return query


def visible_users(user):
    if not can_manage_users(user):
        return User.objects.none()
    return User.objects.all()


# ---- DRF permission classes wrapping the predicates ----------------------------------------


class CanUseApi(BasePermission):
    def has_permission(self, request, view):
        return can_use_api(request.user)


class CanManageInstitution(BasePermission):
    def has_permission(self, request, view):
        return can_manage_institution(request.user)
