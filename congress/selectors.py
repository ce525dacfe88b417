"""Every read the institution's console and portal pages need, scoped to the user and preloaded.

Lists start from the `visible_*` querysets of `congress.permissions`, so a township officer's
unit list and a staff admin's come from the same code with different scopes.
"""

import datetime

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from congress import permissions
from congress.calendar import _package_covers  # the one place that knows what chinese-calendar covers
from congress.models import Body, BodyRules, Committee, Region, RoleGrant, Session, Term, Unit, WorkingDayOverride


def region_list(user, *, kind: str = "", parent: Region | None = None):
    regions = permissions.visible_regions(user).select_related("parent")
    if kind:
        regions = regions.filter(kind=kind)
    if parent is not None:
        regions = regions.filter(path__startswith=parent.path).exclude(pk=parent.pk)
    return regions.order_by("path")


def region_get(user, pk: int) -> Region:
    return get_object_or_404(permissions.visible_regions(user), pk=pk)


def body_list(user, *, level: str = ""):
    bodies = (
        permissions.visible_bodies(user)
        .annotate(committee_count=Count("committees", distinct=True))
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("-number")))
    )
    if level:
        bodies = bodies.filter(level=level)
    return bodies.order_by("level", "region__path")


def body_get(user, pk: int) -> Body:
    return get_object_or_404(permissions.visible_bodies(user), pk=pk)


def body_detail(user, pk: int) -> Body:
    """A body with its terms and each term's sessions, for the body page."""
    sessions = Session.objects.order_by("kind", "number")
    terms = Term.objects.order_by("-number").prefetch_related(Prefetch("sessions", queryset=sessions))
    return get_object_or_404(
        permissions.visible_bodies(user).prefetch_related(Prefetch("terms", queryset=terms)), pk=pk
    )


def term_get(user, pk: int) -> Term:
    return get_object_or_404(
        Term.objects.select_related("body").filter(body__in=permissions.visible_bodies(user)), pk=pk
    )


def session_get(user, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("term__body").filter(term__body__in=permissions.visible_bodies(user)), pk=pk
    )


def committee_list(user, *, body: Body | None = None, kind: str = ""):
    committees = permissions.visible_committees(user).select_related("body")
    if body is not None:
        committees = committees.filter(body=body)
    if kind:
        committees = committees.filter(kind=kind)
    return committees.order_by("body__level", "body__region__path", "name")


def committee_get(user, pk: int) -> Committee:
    return get_object_or_404(permissions.visible_committees(user), pk=pk)


def unit_list(user, *, kind: str = "", region: Region | None = None, active: bool | None = None):
    units = permissions.visible_units(user).select_related("region", "parent")
    if kind:
        units = units.filter(kind=kind)
    if region is not None:
        units = units.filter(region__path__startswith=region.path)
    if active is not None:
        units = units.filter(is_active=active)
    return units.order_by("region__path", "kind", "name")


def unit_get(user, pk: int) -> Unit:
    return get_object_or_404(permissions.visible_units(user), pk=pk)


def _active_grants():
    return Prefetch(
        "role_grants",
        queryset=RoleGrant.objects.active().select_related("body", "committee", "unit", "region").order_by("role"),
        to_attr="active_grants",
    )


def user_list(user, *, query: str = "", role: str = "", active: bool | None = None):
    users = permissions.visible_users(user).filter(is_api_account=False).prefetch_related(_active_grants())
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if role:
        users = users.filter(role_grants__role=role, role_grants__revoked_at__isnull=True).distinct()
    if active is not None:
        users = users.filter(is_active=active)
    return users.order_by("username")


def user_detail(user, pk: int):
    return get_object_or_404(permissions.visible_users(user).prefetch_related(_active_grants()), pk=pk)


def grant_get(user, pk: int) -> RoleGrant:
    return get_object_or_404(
        RoleGrant.objects.select_related("user", "body", "committee", "unit", "region").filter(
            user__in=permissions.visible_users(user)
        ),
        pk=pk,
    )


def rules_list(user):
    """Visible bodies with their rules row (None for a body whose rules were never saved)."""
    return permissions.visible_bodies(user).select_related("rules").order_by("level", "region__path")


def rules_get(user, body_pk: int) -> BodyRules:
    body = body_get(user, body_pk)
    rules, _created = BodyRules.objects.get_or_create(body=body)
    return rules


def working_day_overrides(user, *, year: int | None = None):
    if not permissions.can_use_console(user):
        return WorkingDayOverride.objects.none()
    overrides = WorkingDayOverride.objects.select_related("created_by")
    if year is not None:
        overrides = overrides.filter(day__year=year)
    return overrides.order_by("day")


def calendar_coverage(today: datetime.date, *, before: int = 1, ahead: int = 1) -> list[dict]:
    """For each year around today: does the holiday package cover it, and how many overrides exist."""
    years = range(today.year - before, today.year + ahead + 1)
    counts = dict(
        WorkingDayOverride.objects.filter(day__year__in=list(years))
        .values("day__year")
        .annotate(count=Count("pk"))
        .values_list("day__year", "count")
    )
    return [
        {"year": year, "package_covers": _package_covers(year), "override_count": counts.get(year, 0)}
        for year in years
    ]


def dashboard_counts(user) -> dict[str, int]:
    """The institution's size as the user sees it (scoped like every list)."""
    counts = {
        "regions": permissions.visible_regions(user).count(),
        "bodies": permissions.visible_bodies(user).count(),
        "committees": permissions.visible_committees(user).filter(is_active=True).count(),
        "units": permissions.visible_units(user).filter(is_active=True).count(),
    }
    if permissions.can_manage_users(user):
        counts["users"] = permissions.visible_users(user).filter(is_active=True, is_api_account=False).count()
    return counts
