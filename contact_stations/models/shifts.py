"""Rosters and duty shifts: the reception days of a station and the deputies on duty."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ShiftKind(models.TextChoices):
    RECEPTION = "reception", _("Reception day")
    LEADER_VISIT = "leader_visit", _("Leaders visit the station")


class RosterRule(models.Model):
    """How a station's reception days recur: a fixed day of each month, or a list of dates.

    `shifts_generate()` turns a rule into shifts for a year; a shift remembers its rule and date
    under a unique constraint, so generating twice adds nothing.
    """

    station = models.ForeignKey("contact_stations.Station", on_delete=models.CASCADE, related_name="roster_rules")
    kind = models.CharField(_("Kind"), max_length=16, choices=ShiftKind.choices, default=ShiftKind.RECEPTION)
    # "The 25th of each month"; a day past the month's end falls on its last day.
    day_of_month = models.PositiveSmallIntegerField(
        _("Day of the month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    explicit_dates = models.JSONField(_("Dates"), default=list, blank=True)
    # When set, a day that is not a working day moves to the next working day.
    move_off_days = models.BooleanField(_("Move days off to the next working day"), default=False)
    start_time = models.TimeField(_("Start time"))
    end_time = models.TimeField(_("End time"))
    deputies = models.ManyToManyField(
        "deputies.Deputy", blank=True, related_name="+", verbose_name=_("Deputies on duty")
    )
    is_active = models.BooleanField(_("Active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Roster rule")
        verbose_name_plural = _("Roster rules")
        ordering = ["station", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="roster_rule_ends_after_start"),
        ]

    def __str__(self):
        if self.day_of_month:
            return str(_("Day %(day)s of each month") % {"day": self.day_of_month})
        return str(_("%(count)s set dates") % {"count": len(self.explicit_dates)})


class DutyShiftQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(date__gte=today, state=DutyShift.State.PUBLISHED)


class DutyShift(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PUBLISHED = "published", _("Announced")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        State.PLANNED: (State.PUBLISHED, State.CANCELLED),
        State.PUBLISHED: (State.HELD, State.CANCELLED),
    }

    station = models.ForeignKey("contact_stations.Station", on_delete=models.CASCADE, related_name="shifts")
    roster_rule = models.ForeignKey(RosterRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts")
    kind = models.CharField(_("Kind"), max_length=16, choices=ShiftKind.choices, default=ShiftKind.RECEPTION)
    date = models.DateField(_("Date"))
    start_time = models.TimeField(_("Start time"))
    end_time = models.TimeField(_("End time"))
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.PLANNED)
    notice_published_on = models.DateField(_("Notice published on"), null=True, blank=True)
    visitor_count = models.PositiveIntegerField(_("Visitors"), null=True, blank=True)
    # For a 领导进室站 visit: who of the leadership comes.
    visiting_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Visiting leader"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.TextField(_("Note"), blank=True)
    cancel_reason = models.TextField(_("Reason for cancellation"), blank=True)
    deputies = models.ManyToManyField(
        "deputies.Deputy", through="ShiftDuty", related_name="duty_shifts", verbose_name=_("Deputies on duty")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("Duty shift")
        verbose_name_plural = _("Duty shifts")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster_rule", "date"], condition=Q(roster_rule__isnull=False), name="shift_once_per_rule_date"
            ),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="shift_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["station", "date"], name="shift_station_date"),
            models.Index(fields=["state", "date"], name="shift_state_date"),
        ]

    def __str__(self):
        return f"{self.station} {self.date}"


class ShiftDuty(models.Model):
    """One deputy on duty at one shift: checked in, or marked a no-show when the shift is closed."""

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="duties")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="shift_duties")
    checked_in_at = models.DateTimeField(_("Checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    no_show = models.BooleanField(_("Did not come"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Deputy on duty")
        verbose_name_plural = _("Deputies on duty")
        ordering = ["shift", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "deputy"], name="shift_duty_once_per_deputy"),
            models.CheckConstraint(
                condition=~Q(no_show=True, checked_in_at__isnull=False), name="shift_duty_no_show_not_checked_in"
            ),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.shift}"
