"""Contact stations (代表联络站) and the deputies stationed at them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.fields import new_public_code


class StationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Station.Status.ACTIVE)


class Station(models.Model):
    class Kind(models.TextChoices):
        EXCHANGE_CENTRE = "exchange_centre", _("District deputies’ exchange centre")
        TOWN_ROOM = "town_room", _("Town or street deputies’ room")
        VILLAGE_STATION = "village_station", _("Village or community contact station")
        INDUSTRY_STATION = "industry_station", _("Industry contact station")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Open")
        SUSPENDED = "suspended", _("Suspended")

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="stations"
    )
    region = models.ForeignKey(
        "congress.Region", verbose_name=_("Region"), on_delete=models.PROTECT, related_name="stations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("Parent station"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("Kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=100)
    # For industry stations: the sector it serves (education, medical care…).
    industry = models.CharField(_("Industry"), max_length=64, blank=True)
    address = models.CharField(_("Address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    opening_hours = models.TextField(_("Opening hours"), blank=True)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Keeper"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="kept_stations",
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    public_code = models.CharField(_("Public code"), max_length=16, unique=True, default=new_public_code,
                                   editable=False)
    deputies = models.ManyToManyField(
        "deputies.Deputy", through="StationDeputy", related_name="stations", verbose_name=_("Deputies")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Contact station")
        verbose_name_plural = _("Contact stations")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_unique_name_per_region"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="station_coordinates_both_or_neither",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class StationDeputyQuerySet(models.QuerySet):
    def current(self, on=None):
        if on is None:
            return self.filter(until__isnull=True)
        return self.filter(Q(until__isnull=True) | Q(until__gte=on), since__lte=on)


class StationDeputy(models.Model):
    """A deputy stationed at a station (进站) from `since` until `until`.

    DESIGN §1 files station assignments under deputies/, but the row needs both the station and
    the deputy; keeping it here lets contact_stations depend on deputies and not the reverse, so
    neither app's migrations or imports form a cycle. `Deputy.stations` reaches it from the other side.
    """

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="assignments")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="station_assignments")
    since = models.DateField(_("Since"))
    until = models.DateField(_("Until"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StationDeputyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Station assignment")
        verbose_name_plural = _("Station assignments")
        ordering = ["station", "deputy"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "deputy"], condition=Q(until__isnull=True), name="station_deputy_one_current"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="station_deputy_until_after_since",
            ),
        ]

    def __str__(self):
        return f"{self.deputy} @ {self.station}"
