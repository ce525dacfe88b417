"""Reads of the deputy portal (a deputy's own mandates and contacts) and of the public directory.

The public reads expose only serving deputies and only their public fields; a page built on
them has no way to reach an ID number or a phone (they are never selected into a public row).
"""

from django.db.models import Count, Q

from congress.models import Body, Region
from deputies.models import ContactPair, Deputy, DutyActivity, DutyParticipation

# The only columns a public page loads (Deputy.PUBLIC_FIELDS minus the relations, plus keys).
PUBLIC_COLUMNS = (
    "pk", "name", "gender", "ethnicity", "party", "occupation", "employer", "sector", "photo", "public_bio",
    "status", "body", "constituency", "delegation", "term",
)


# ---- portal ----------------------------------------------------------------------------------


def my_mandates(user):
    """The logged-in deputy's serving mandates, district first (one query)."""
    return (
        Deputy.objects.filter(user=user, status=Deputy.Status.SERVING, user__is_active=True)
        .select_related("body__region", "term", "constituency", "delegation")
        .order_by("body__level", "pk")
    )


def my_mandate(user, pk: int | None) -> Deputy:
    """One of the user's serving mandates (the first when `pk` is None), or DoesNotExist (404)."""
    mandates = my_mandates(user)
    if pk is None:
        mandate = mandates.first()
        if mandate is None:
            raise Deputy.DoesNotExist
        return mandate
    return mandates.get(pk=pk)


def my_contact_pairs(deputy: Deputy, year: int):
    """双联系 pairs of the year where the deputy is either side, with both deputies and log counts."""
    return (
        ContactPair.objects.filter(Q(member=deputy) | Q(deputy=deputy), year=year)
        .select_related("member", "deputy")
        .annotate(contacts=Count("logs"))
        .order_by("pk")
    )


def my_contact_pair(deputy: Deputy, pk: int) -> ContactPair:
    return (
        ContactPair.objects.filter(Q(member=deputy) | Q(deputy=deputy))
        .select_related("member", "deputy", "body")
        .get(pk=pk)
    )


def my_reported_activity(user, pk: int) -> DutyActivity:
    """An activity the user reported themself (for its photo), or DoesNotExist."""
    return DutyActivity.objects.get(pk=pk, reported_by=user, source=DutyActivity.Source.SELF_REPORTED)


# ---- public ----------------------------------------------------------------------------------


def public_bodies():
    return Body.objects.select_related("region").order_by("level", "region__path")


def public_towns():
    return Region.objects.filter(kind__in=[Region.Kind.TOWN, Region.Kind.STREET]).order_by("path")


def public_deputies(*, body: Body | None = None, town: Region | None = None):
    """Serving deputies for the public directory, public columns only."""
    deputies = (
        Deputy.objects.serving()
        .select_related("body", "constituency")
        .only(*PUBLIC_COLUMNS, "body__name", "body__level", "constituency__name")
    )
    if body is not None:
        deputies = deputies.filter(body=body)
    if town is not None:
        deputies = deputies.filter(
            Q(constituency__region__path__startswith=town.path)
            | Q(delegation__region__path__startswith=town.path)
            | Q(body__region__path__startswith=town.path)
        )
    return deputies.order_by("body__level", "body__name", "name", "pk")


def _public_deputies():
    return (
        Deputy.objects.serving()
        .select_related("body", "constituency", "delegation")
        .only(*PUBLIC_COLUMNS, "public_code", "body__name", "constituency__name", "delegation__name")
    )


def public_deputy(pk: int) -> Deputy:
    return _public_deputies().get(pk=pk)


def public_deputy_by_code(code: str) -> Deputy:
    """A serving deputy by the public code their QR card carries (SECURITY S14), or DoesNotExist."""
    return _public_deputies().get(public_code=code)


def public_duty_summary(deputy: Deputy, year: int) -> list[tuple[str, int]]:
    """Verified activities the deputy attended this year, counted by kind (one query)."""
    from deputies.models import ActivityKind

    rows = (
        DutyParticipation.objects.filter(
            deputy=deputy,
            attendance=DutyParticipation.Attendance.PRESENT,
            activity__state=DutyActivity.State.VERIFIED,
            activity__date__year=year,
        )
        .values("activity__kind")
        .annotate(count=Count("pk"))
        .order_by("activity__kind")
    )
    return [(ActivityKind(row["activity__kind"]).label, row["count"]) for row in rows]
