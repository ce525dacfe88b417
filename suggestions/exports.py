"""Excel export of the handling statistics: one sheet per dimension (unit, category, deputy),
formula-safe (SECURITY S15), permission-checked and logged as a security event (S20)."""

import io

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from congress import security_log
from congress.exports import safe_cell
from suggestions import permissions
from suggestions.statistics import DIMENSIONS, Figures, Statistics


def headers(class_codes: list[str]) -> list[str]:
    return [
        _("Name"), _("Proposals"), _("Assignments"), _("Replied"), _("Due or replied"), _("On time"),
        _("On-time rate (%)"),
        *[_("Class %(code)s (%%)") % {"code": code} for code in class_codes],
        _("First round: rated by the deputy"), _("First round: result satisfied (%)"),
        _("First round: attitude satisfied (%)"),
        _("First round: paper forms"), _("First round: paper, result satisfied (%)"),
        _("Final: rated by the deputy"), _("Final: result satisfied (%)"), _("Final: attitude satisfied (%)"),
        _("Final: paper forms"), _("Final: paper, result satisfied (%)"),
        _("Not rated"), _("Re-handling rounds"),
    ]


def row(figures: Figures, class_codes: list[str]) -> list:
    values = [
        figures.label, figures.proposal_count, figures.assignments, figures.replied, figures.judged,
        figures.on_time, figures.on_time_rate,
        *[figures.class_share(code) for code in class_codes],
        figures.first.count, figures.first.satisfied_rate(), figures.first.satisfied_rate("attitude"),
        figures.first_paper.count, figures.first_paper.satisfied_rate(),
        figures.final.count, figures.final.satisfied_rate(), figures.final.satisfied_rate("attitude"),
        figures.final_paper.count, figures.final_paper.satisfied_rate(),
        figures.not_rated, figures.rehandling,
    ]
    return [safe_cell("" if value is None else value) for value in values]


def statistics_workbook(statistics: Statistics) -> bytes:
    workbook = Workbook(write_only=True)
    for dimension, label in DIMENSIONS.items():
        sheet = workbook.create_sheet(title=str(label)[:31])
        sheet.append([safe_cell(header) for header in headers(statistics.class_codes)])
        for figures in statistics.by[dimension]:
            sheet.append(row(figures, statistics.class_codes))
        sheet.append(row(statistics.total, statistics.class_codes))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_statistics(*, user, statistics: Statistics, request=None) -> bytes:
    """The workbook, after checking the permission; the export is logged with its scope."""
    if not permissions.can_export_statistics(user):
        raise PermissionDenied
    content = statistics_workbook(statistics)
    security_log.log(
        "export", request=request, username=user.get_username(), object="suggestions.statistics",
        filters={"body": statistics.body.pk, "year": statistics.year}, rows=statistics.total.assignments,
    )
    return content


def filename(statistics: Statistics) -> str:
    return f"suggestion-statistics-{statistics.year}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
