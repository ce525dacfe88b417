"""Deadlines computed from a body's rules, carrying the basis that produced them.

A deadline is stored as a date plus its basis (`Deadline.basis`, a small JSON document: which
rule, its value and unit, the start date, and any extension), so that a later change of the rule
never silently moves an existing deadline and every screen can say why a date is what it is.
"""

import dataclasses
import datetime

from django.utils.translation import gettext as _

from congress import calendar
from congress.models import Body, BodyRules


def rules_for(body: Body) -> BodyRules:
    rules = getattr(body, "_rules_cache", None)
    if rules is None:
        rules, _created = BodyRules.objects.get_or_create(body=body)
        body._rules_cache = rules
    return rules


@dataclasses.dataclass(frozen=True)
class Deadline:
    due: datetime.date
    basis: dict

    def describe(self) -> str:
        return describe_basis(self.basis)


def describe_basis(basis: dict | None) -> str:
    """Why a stored due date is what it is, in words, from the basis saved with it.

    The one place every screen (and the API) turns a basis into text; a malformed or legacy basis
    gives what it can rather than an error.
    """
    if not basis:
        return ""
    label = basis.get("label") or basis.get("rule", "")
    if basis.get("rule") == "extension":
        return _("extension approved to %(due)s (assigned %(start)s)") % {
            "due": basis.get("value", ""),
            "start": basis.get("start", ""),
        }
    value, unit = basis.get("value", ""), basis.get("unit", "")
    if unit == "days" and isinstance(value, int) and value < 0:
        # A milestone counted back from a meeting (Supervision Law art. 15).
        return _("%(value)s days before %(start)s (rule: %(rule)s)") % {
            "value": -value,
            "start": basis.get("start", ""),
            "rule": label,
        }
    units = {"working_days": _("working days"), "months": _("months"), "days": _("days")}
    return _("%(value)s %(unit)s from %(start)s (rule: %(rule)s)") % {
        "start": basis.get("start", ""),
        "value": value,
        "unit": units.get(unit, unit),
        "rule": label,
    }


def _label(rule: str) -> str:
    return str(BodyRules._meta.get_field(rule).verbose_name)


def working_days_after(body: Body, rule: str, start: datetime.date) -> Deadline:
    value = getattr(rules_for(body), rule)
    return Deadline(
        calendar.add_working_days(start, value),
        {"rule": rule, "label": _label(rule), "value": value, "unit": "working_days", "start": start.isoformat()},
    )


def months_after(body: Body, rule: str, start: datetime.date) -> Deadline:
    value = getattr(rules_for(body), rule)
    return Deadline(
        calendar.add_months(start, value),
        {"rule": rule, "label": _label(rule), "value": value, "unit": "months", "start": start.isoformat()},
    )


def days_before(body: Body, rule: str, event_day: datetime.date) -> Deadline:
    """A milestone `value` calendar days before an event (Supervision Law art. 15 milestones)."""
    value = getattr(rules_for(body), rule)
    return Deadline(
        event_day - datetime.timedelta(days=value),
        {"rule": rule, "label": _label(rule), "value": -value, "unit": "days", "start": event_day.isoformat()},
    )
