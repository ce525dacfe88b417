"""Excel exports of supervision: the statistics of a plan year, one sheet per table. The export
checks its permission and is logged as a security event (SECURITY S15)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress import security_log
from congress.exports import sheets_bytes
from supervision import permissions
from supervision.models import Topic
from supervision.statistics import Statistics


def statistics_workbook(statistics: Statistics) -> bytes:
    kinds = (
        _("Topics by kind and state"),
        [_("Kind"), *Topic.State.labels, _("Total")],
        [[row.label, *row.counts, row.total] for row in statistics.kinds],
    )
    rounds = (
        _("Satisfaction votes by round"),
        [_("Round"), _("Votes held"), _("Passed"), _("Not passed"), _("Satisfied"), _("Basically satisfied"),
         _("Unsatisfied")],
        [[row.round, row.held, row.passed, row.failed, row.satisfied, row.basically, row.unsatisfied]
         for row in statistics.rounds],
    )
    units = (
        _("Rectification items by unit"),
        [_("Owner unit"), pgettext("ledger item state", "Open"), _("Done"), _("Overdue")],
        [[row.unit, row.open, row.closed, row.overdue] for row in statistics.units],
    )
    return sheets_bytes([kinds, rounds, units])


def export_statistics(*, user, statistics: Statistics, request=None) -> bytes:
    """The workbook, after checking the permission; the export is logged with its year."""
    if not permissions.can_export_statistics(user):
        raise PermissionDenied
    content = statistics_workbook(statistics)
    security_log.log(
        "export", request=request, username=user.get_username(), object="supervision.statistics",
        filters={"year": statistics.year},
        rows=len(statistics.kinds) + len(statistics.rounds) + len(statistics.units),
    )
    return content


def filename(year: int) -> str:
    return f"supervision-statistics-{year}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
