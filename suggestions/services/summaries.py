"""The weekly overdue summary to the leaders (DESIGN §4 reminders: overdue replies are escalated
daily to the unit and the office, and summarised weekly for the leaders).

Each leader of a congress gets one inbox notification a week counting the overdue replies per
unit. It is written through `congress.notifications.bulk.notify_many` under a key naming the
congress and the ISO week: the inbox row is the record, written before anything leaves by the
digest, and its unique (recipient, key) makes a re-run or a second beat running at the same time
write nothing new; a run killed before its commit wrote nothing, so the next run that week writes
it whole. The cost is three queries and one insert, whatever the number of overdue items.
"""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import RoleGrant
from congress.models.accounts import Role
from congress.notifications.bulk import Reminder, notify_many
from suggestions.models import Assignment
from suggestions.services.reminders import ACTIVE_ANSWERING

KIND = "suggestions.overdue_summary"


def overdue_counts(today: datetime.date) -> dict[int, list[tuple[str, int]]]:
    """Overdue answering assignments per congress: [(unit name, count)], most overdue first."""
    rows = (
        Assignment.objects.filter(ACTIVE_ANSWERING, reply_due__lt=today)
        .values("proposal__body_id", "unit_id", "unit__name")
        .annotate(count=Count("pk"))
        .order_by("proposal__body_id", "-count", "unit__name")
    )
    counts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        counts[row["proposal__body_id"]].append((row["unit__name"], row["count"]))
    return counts


def overdue_summary_send(*, today: datetime.date | None = None) -> int:
    """Send this ISO week's overdue summary to every leader whose congress has overdue replies;
    returns how many inbox notifications were written (none on a re-run in the same week)."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    counts = overdue_counts(today)
    if not counts:
        return 0
    leaders: dict[int, set[int]] = defaultdict(set)
    grants = RoleGrant.objects.active().filter(role=Role.LEADER, body_id__in=list(counts), user__is_active=True)
    for body_id, user_id in grants.values_list("body_id", "user_id"):
        leaders[body_id].add(user_id)
    url = reverse("console:suggestions:deadlines")
    reminders = []
    for body_id, units in counts.items():
        total = sum(count for _name, count in units)
        lines = [_("%(unit)s: %(count)s overdue") % {"unit": name, "count": count} for name, count in units]
        reminders.append(
            Reminder(
                recipient_ids=frozenset(leaders[body_id]),
                kind=KIND,
                title=_("Week %(week)s: %(count)s replies overdue at %(units)s units")
                % {"week": f"{year}-W{week:02d}", "count": total, "units": len(units)},
                body="\n".join(lines),
                url=url,
                dedupe_key=f"overdue-summary:body-{body_id}:{year}-W{week:02d}",
            )
        )
    return notify_many(reminders)
