"""Reads of the outstanding-deputy selection: the eligible pool, the selections a user may see,
the nominations grouped by town, and the published lists of the public site."""

from django.db.models import Count, Prefetch, Q

from congress.models import Body, Region
from congress.permissions import visible_bodies
from deputies import permissions
from deputies.models import Deputy, Nomination, Selection
from deputies.selectors import _town_path


def eligible_pool(body: Body):
    """Deputies who may be selected: serving mandates of the congress, district-level leaders excluded."""
    return Deputy.objects.filter(body=body, status=Deputy.Status.SERVING, is_district_leader=False)


def quota_for(pool_size: int, percent: int) -> int:
    """The number of places: `percent` of the pool, rounded down (20 % of 223 is 44)."""
    return pool_size * percent // 100


def deputy_town(deputy: Deputy) -> Region | None:
    """The town or street a deputy was elected in (one query), or None when unknown."""
    path = _town_path(deputy)
    return Region.objects.filter(path=path).first() if path else None


def _selection_scope(user) -> Q:
    """Congresses the user may see, plus, for a township officer, the congresses above their town,
    whose deputies elected in the town they nominate."""
    scope = Q(body__in=visible_bodies(user))
    for path in permissions._township_officer_paths(user):
        parts = [part for part in path.split("/") if part]
        ancestors = ["/" + "/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]
        scope |= Q(body__region__path__in=ancestors)
    return scope


def selections_for(user):
    """Selections of every congress the user may see, with nomination counts (one query)."""
    return (
        Selection.objects.filter(_selection_scope(user))
        .select_related("body")
        .annotate(
            nomination_count=Count("nominations"),
            selected_count=Count("nominations", filter=Q(nominations__outcome=Nomination.Outcome.SELECTED)),
        )
        .order_by("-year", "body__level", "body__name")
    )


def selection_get(user, pk: int) -> Selection:
    """A selection of a congress the user may see, or DoesNotExist (404)."""
    return Selection.objects.filter(_selection_scope(user)).select_related("body__region").get(pk=pk)


def nominations(selection: Selection):
    """The selection's nominations with deputy, town and nominator (one query), grouped by town."""
    return (
        Nomination.objects.filter(selection=selection)
        .select_related("deputy__constituency", "deputy__delegation", "town", "nominated_by")
        .order_by("town__path", "deputy__name", "pk")
    )


def nominable_deputies(user, selection: Selection):
    """Pool deputies the user may nominate and who are not nominated yet, with their regions."""
    pool = (
        eligible_pool(selection.body)
        .exclude(pk__in=Nomination.objects.filter(selection=selection).values("deputy_id"))
        .select_related("body__region", "constituency__region", "delegation__region")
        .order_by("name", "pk")
    )
    if permissions.can_manage_deputies(user, selection.body):
        return list(pool)
    return [deputy for deputy in pool if permissions.can_nominate(user, selection.body, _town_path(deputy))]


def published_selections():
    """Published selections with their selected deputies, newest first (two queries)."""
    selected = Nomination.objects.filter(outcome=Nomination.Outcome.SELECTED).select_related(
        "deputy__constituency", "town"
    ).order_by("town__path", "deputy__name")
    return (
        Selection.objects.filter(state=Selection.State.PUBLISHED)
        .select_related("body")
        .prefetch_related(Prefetch("nominations", queryset=selected, to_attr="selected"))
        .order_by("-year", "body__level", "body__name")
    )
