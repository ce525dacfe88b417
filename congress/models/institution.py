"""Regions, people's congresses (bodies), their terms, sessions, committees, and the organs they supervise."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def subtree(self, region):
        """The region and everything below it, by materialised path (one indexed prefix query)."""
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        TOWN = "town", _("Town")
        STREET = "street", _("Street")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    code = models.CharField(_("Region code"), max_length=12, unique=True)
    name = models.CharField(_("Name"), max_length=64)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("Parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # "/350212/350212100/" — set by the service from the parent's path; makes subtree queries cheap.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Administrative region")
        verbose_name_plural = _("Administrative regions")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def is_township(self):
        return self.kind in (self.Kind.TOWN, self.Kind.STREET)

    @property
    def depth(self):
        return self.path.count("/") - 2


class Body(models.Model):
    """A people's congress at one level: the district congress or one township congress."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District level")
        TOWNSHIP = "township", _("Township level")

    name = models.CharField(_("Name"), max_length=100)
    short_name = models.CharField(_("Short name"), max_length=32, blank=True)
    level = models.CharField(_("Level"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("Administrative region"), on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Parent congress"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The district standing committee; a township congress has a presidium (主席团) instead.
    standing_organ_name = models.CharField(_("Name of the standing organ"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Congress")
        verbose_name_plural = _("Congresses")
        ordering = ["level", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "level"], name="body_one_per_region_level")]

    def __str__(self):
        return self.name

    @property
    def is_district(self):
        return self.level == self.Level.DISTRICT


class Term(models.Model):
    """A term (届) of a body, e.g. 第十八届."""

    body = models.ForeignKey(Body, verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("Term number"))
    starts_on = models.DateField(_("Start date"))
    ends_on = models.DateField(_("End date"), null=True, blank=True)
    is_current = models.BooleanField(_("Current term"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Term")
        verbose_name_plural = _("Terms")
        ordering = ["body", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="term_unique_number_per_body"),
            models.UniqueConstraint(
                fields=["body"], condition=models.Q(is_current=True), name="term_one_current_per_body"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self):
        return _("%(body)s, term %(number)s") % {"body": self.body, "number": self.number}


class Session(models.Model):
    """A congress session (第N次会议) or a standing-committee meeting."""

    class Kind(models.TextChoices):
        CONGRESS = "congress", _("Session of the people’s congress")
        STANDING_COMMITTEE = "standing", _("Standing committee meeting")
        PRESIDIUM = "presidium", _("Presidium meeting")
        LEADERS = "leaders", _("Chairpersons’ meeting")

    term = models.ForeignKey(Term, verbose_name=_("Term"), on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("Meeting number"))
    starts_on = models.DateField(_("Start date"))
    ends_on = models.DateField(_("End date"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Meeting")
        verbose_name_plural = _("Meetings")
        ordering = ["term", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind", "number"], name="session_unique_number"),
        ]

    def __str__(self):
        return _("%(term)s, %(kind)s no. %(number)s") % {
            "term": self.term,
            "number": self.number,
            "kind": self.get_kind_display(),
        }


class Committee(models.Model):
    """A special or working committee (专门委员会/工作委员会) of a body."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("Special committee")
        WORKING = "working", _("Working committee")
        OFFICE = "office", _("Office")

    body = models.ForeignKey(Body, verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("Name"), max_length=100)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    is_active = models.BooleanField(_("Active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Committee")
        verbose_name_plural = _("Committees")
        ordering = ["body", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="committee_unique_name_per_body")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An organ that receives assignments and reports (承办单位): 一府一委两院, departments, township governments."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("People’s government")
        DEPARTMENT = "department", _("Government department")
        SUPERVISORY = "supervisory", _("Supervisory commission")
        COURT = "court", _("People’s court")
        PROCURATORATE = "procuratorate", _("People’s procuratorate")
        TOWNSHIP = "township", _("Township")
        OTHER = "other", _("Other unit")

    name = models.CharField(_("Name"), max_length=100)
    short_name = models.CharField(_("Short name"), max_length=32, blank=True)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("Located in"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("Parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("Active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Handling unit")
        verbose_name_plural = _("Handling units")
        ordering = ["region__path", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_per_region")]

    def __str__(self):
        return self.name
