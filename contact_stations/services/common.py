"""Small helpers shared by the services: who works for a region, and the region tree above a place."""

from congress.models import Body, Region, RoleGrant
from congress.models.accounts import Role
from congress.permissions import grant_path


def ancestor_paths(path: str) -> list[str]:
    """'/a/b/c/' → ['/a/', '/a/b/', '/a/b/c/']."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: index + 1]) + "/" for index in range(len(parts))]


def town_of(region: Region) -> Region | None:
    """The town or street a region lies in (itself when it is one), in one query."""
    if region.is_township:
        return region
    return (
        Region.objects.filter(path__in=ancestor_paths(region.path), kind__in=[Region.Kind.TOWN, Region.Kind.STREET])
        .order_by("-path")
        .first()
    )


def township_body(region: Region | None) -> Body | None:
    if region is None:
        return None
    return Body.objects.filter(region=region, level=Body.Level.TOWNSHIP).select_related("region").first()


def district_body(body: Body) -> Body:
    """The district congress above a township congress (itself when it is one)."""
    if body.is_district or body.parent_id is None:
        return body
    return body.parent


class GrantIndex:
    """Active grants of the given roles, loaded once, matched to region paths in Python.

    The sweeps use one of these per run, so that finding the people to remind about a thousand
    items costs one query rather than one per item.
    """

    def __init__(self, roles):
        self.by_role: dict[str, list[tuple[str | None, int]]] = {}
        self.by_unit: dict[int, set[int]] = {}
        grants = (
            RoleGrant.objects.active()
            .filter(role__in=list(roles), user__is_active=True)
            .select_related("region", "unit__region", "committee__body__region", "body__region")
        )
        for grant in grants:
            if grant.role == Role.UNIT_OFFICER:
                if grant.unit_id:
                    self.by_unit.setdefault(grant.unit_id, set()).add(grant.user_id)
                continue
            self.by_role.setdefault(grant.role, []).append((grant_path(grant), grant.user_id))

    def users_reaching(self, path: str, roles) -> set[int]:
        return {
            user_id
            for role in roles
            for grant_path, user_id in self.by_role.get(role, ())
            if grant_path is None or path.startswith(grant_path)
        }

    def unit_officers(self, unit_id: int | None) -> set[int]:
        return set(self.by_unit.get(unit_id, ())) if unit_id else set()
