"""Regions, people's congresses (bodies), their terms, sessions, committees, and the organs they supervise."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def subtree(self, region):
        """The region and everything below it, by materialised path (one indexed prefix query)."""
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        TOWN = "town", _("镇")
        STREET = "street", _("街道")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # "/350212/350212100/" — set by the service from the parent's path; makes subtree queries cheap.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
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
        DISTRICT = "district", _("区级")
        TOWNSHIP = "township", _("乡镇（街道）级")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="bodies")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级人大"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The district standing committee; a township congress has a presidium (主席团) instead.
    standing_organ_name = models.CharField(_("常设机构名称"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人大")
        verbose_name_plural = _("人大")
        ordering = ["level", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "level"], name="body_one_per_region_level")]

    def __str__(self):
        return self.name

    @property
    def is_district(self):
        return self.level == self.Level.DISTRICT


class Term(models.Model):
    """A term (届) of a body, e.g. 第十八届."""

    body = models.ForeignKey(Body, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
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
        return _("%(body)s第%(number)s届") % {"body": self.body, "number": self.number}


class Session(models.Model):
    """A congress session (第N次会议) or a standing-committee meeting."""

    class Kind(models.TextChoices):
        CONGRESS = "congress", _("人民代表大会会议")
        STANDING_COMMITTEE = "standing", _("常委会会议")
        PRESIDIUM = "presidium", _("主席团会议")
        LEADERS = "leaders", _("主任会议")

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["term", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind", "number"], name="session_unique_number"),
        ]

    def __str__(self):
        return _("%(term)s第%(number)s次%(kind)s") % {
            "term": self.term,
            "number": self.number,
            "kind": self.get_kind_display(),
        }


class Committee(models.Model):
    """A special or working committee (专门委员会/工作委员会) of a body."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("专门委员会")
        WORKING = "working", _("工作委员会")
        OFFICE = "office", _("办公室")

    body = models.ForeignKey(Body, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="committees")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    is_active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("委员会")
        verbose_name_plural = _("委员会")
        ordering = ["body", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="committee_unique_name_per_body")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An organ that receives assignments and reports (承办单位): 一府一委两院, departments, township governments."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        SUPERVISORY = "supervisory", _("监察委员会")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        TOWNSHIP = "township", _("乡镇（街道）")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["region__path", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_per_region")]

    def __str__(self):
        return self.name
