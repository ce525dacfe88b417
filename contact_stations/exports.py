"""Excel exports of the console's lists: the opinion queue and the statistics.

Formula-safe (`congress.exports.safe_cell`, SECURITY S15), citizens' phones and names masked
(S17), scoped through the same selectors as the pages, and logged as a security event (S20).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from congress import security_log
from congress.exports import workbook_bytes
from congress.masking import mask_name, mask_phone
from contact_stations.serializers import is_overdue
from contact_stations.statistics import Figures


def _date(value):
    return value.isoformat() if value else ""


def opinions_workbook(opinions, *, today, request, filters: dict) -> bytes:
    headers = [
        _("Receipt code"), _("Received on"), _("Station"), _("Source"), _("Category"), _("Content"),
        _("Citizen’s name"), _("Citizen’s phone"), _("State"), _("Acknowledge by"), _("Answer by"), _("Overdue"),
        _("Handling unit"), _("Closed at"),
    ]
    rows = []
    for opinion in opinions:
        anonymised = opinion.anonymised_at is not None
        rows.append([
            opinion.receipt_code, _date(opinion.received_on), opinion.station.name if opinion.station_id else "",
            opinion.get_source_display(), opinion.get_category_display(), opinion.content,
            "" if anonymised else mask_name(opinion.citizen_name),
            "" if anonymised else mask_phone(opinion.citizen_phone),
            opinion.get_state_display(), _date(opinion.ack_due), _date(opinion.answer_due),
            _("yes") if is_overdue(opinion, today) else _("no"),
            opinion.passed_to_unit.name if opinion.passed_to_unit_id else "",
            timezone.localtime(opinion.closed_at).strftime("%Y-%m-%d %H:%M") if opinion.closed_at else "",
        ])
    content = workbook_bytes(_("Citizens’ opinions"), headers, rows)
    security_log.log("export", request=request, object="contact_stations.opinion", filters=filters, rows=len(rows))
    return content


def statistics_workbook(station_rows: list[Figures], town_rows: list[Figures], *, year: int, request) -> bytes:
    headers = [
        _("Town or street"), _("Station"), _("Shifts held"), _("Visitors"), _("Opinions received"), _("Closed"),
        _("Answered on time"), _("Satisfied"), _("Basically satisfied"), _("Unsatisfied"), _("Satisfaction (%)"),
    ]

    def line(town, station, row):
        return [
            town, station, row.shifts_held, row.visitors, row.received, row.closed, row.on_time, row.satisfied,
            row.basically_satisfied, row.unsatisfied, row.satisfaction_rate,
        ]

    rows = [line(row.town, row.name, row) for row in station_rows]
    rows += [line(row.name, _("All stations"), row) for row in town_rows]
    content = workbook_bytes(_("Statistics %(year)s") % {"year": year}, headers, rows)
    security_log.log(
        "export", request=request, object="contact_stations.statistics", filters={"year": year}, rows=len(rows)
    )
    return content


def filename(prefix: str) -> str:
    return f"{prefix}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
