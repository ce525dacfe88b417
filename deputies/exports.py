"""Excel export of a filtered roster: masked, formula-safe, permission-checked and logged.

ID numbers and phones are masked unless the exporter asked for full values, gave a reason and may
unmask each deputy (SECURITY S17/S18); every text cell that a spreadsheet would read as a formula
(starting with = + - @, or a tab or carriage return) is prefixed with a quote (S15); every export
is logged as a security event with its filters and row count (S20). Small lists are built in the
request; larger ones (more rows than `imports.inline_limit()`) in Celery, into a file under
MEDIA_ROOT that only the exporter can download.
"""

import io

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from congress import security_log
from congress.exports import FORMULA_PREFIXES, safe_cell  # noqa: F401 - FORMULA_PREFIXES re-exported
from deputies import permissions
from deputies.forms import RosterFilterForm
from deputies.imports import COLUMNS, inline_limit
from deputies.models import Deputy, RosterJob

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 100

EXTRA_COLUMNS = (
    ("body", gettext_lazy("Congress")),
    ("term", gettext_lazy("Term")),
    ("status", gettext_lazy("Status")),
    ("status_changed_on", gettext_lazy("Status changed on")),
)


def headers() -> list[str]:
    return [str(label) for _field, label, _required in COLUMNS] + [str(label) for _field, label in EXTRA_COLUMNS]


def _row(deputy: Deputy, *, full: bool) -> list:
    values = []
    for field, _label, _required in COLUMNS:
        if field == "id_number":
            value = deputy.id_number if full else deputy.masked_id_number
        elif field == "phone":
            value = deputy.phone if full else deputy.masked_phone
        elif field in ("gender", "party", "education", "sector"):
            value = getattr(deputy, f"get_{field}_display")()
        elif field in ("constituency", "delegation"):
            related = getattr(deputy, field)
            value = related.name if related is not None else ""
        elif field in ("is_standing_committee_member", "is_district_leader"):
            value = _("yes") if getattr(deputy, field) else _("no")
        else:
            value = getattr(deputy, field)
        values.append(value)
    values += [deputy.body.name, str(deputy.term), deputy.get_status_display(), deputy.status_changed_on]
    return [safe_cell("" if value is None else value) for value in values]


def roster_queryset(user, params: dict):
    """The roster as the list page shows it for these filters, in the user's scope."""
    data = QueryDict(mutable=True)
    data.update(params)
    form = RosterFilterForm(data, user=user)
    return form.filter(permissions.visible_deputies(user)).select_related(
        "body", "term", "constituency", "delegation"
    ).order_by("body__level", "body__name", "name", "pk")


def build_workbook(user, deputies, *, unmask: bool, on_progress=None) -> tuple[bytes, int, int]:
    """The workbook's bytes, the number of rows and how many of them show full values."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Deputies"))[:31])
    sheet.append(headers())
    count = unmasked = 0
    for deputy in deputies.iterator(chunk_size=500):
        full = unmask and permissions.can_unmask(user, deputy)
        sheet.append(_row(deputy, full=full))
        count += 1
        unmasked += full
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count, unmasked


def filename() -> str:
    return f"deputies-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"


def _log(user, *, request=None, params, rows, unmasked, reason, job=None):
    fields = {"object": "deputies.deputy", "filters": params, "rows": rows, "unmasked": unmasked}
    if job is not None:
        fields["job"] = job.pk
    security_log.log("export", request=request, username=user.get_username(), **fields)
    if unmasked:
        security_log.log(
            "unmask", request=request, username=user.get_username(), object="deputies.deputy",
            field="id_number,phone", rows=unmasked, reason=reason, via="export",
        )


def export_inline(*, user, params: dict, unmask: bool, reason: str, request=None) -> tuple[bytes, int]:
    if not permissions.can_export_roster(user):
        raise PermissionDenied
    content, rows, unmasked = build_workbook(user, roster_queryset(user, params), unmask=unmask)
    _log(user, request=request, params=params, rows=rows, unmasked=unmasked, reason=reason)
    return content, rows


def start_export(*, user, params: dict, unmask: bool, reason: str, total: int) -> RosterJob:
    """Queue a large export; the worker writes the file and the page polls the job."""
    from deputies import tasks

    if not permissions.can_export_roster(user):
        raise PermissionDenied
    job = RosterJob.objects.create(
        kind=RosterJob.Kind.EXPORT, created_by=user, total=total,
        params={"filters": params, "unmask": unmask, "reason": reason},
    )
    transaction.on_commit(lambda: tasks.run_roster_export.delay(job.pk))
    return job


def run_export(job_id: int) -> RosterJob:
    """Build a queued export job's workbook; a job already started or finished is left alone."""
    claimed = RosterJob.objects.filter(
        pk=job_id, kind=RosterJob.Kind.EXPORT, state=RosterJob.State.QUEUED
    ).update(state=RosterJob.State.RUNNING, updated_at=timezone.now())
    job = RosterJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    user = job.created_by
    if not permissions.can_export_roster(user):
        job.state, job.error, job.finished_at = RosterJob.State.FAILED, _("You may no longer export."), timezone.now()
        job.save()
        return job
    filters = job.params.get("filters", {})
    deputies = roster_queryset(user, filters)
    total = deputies.count()
    RosterJob.objects.filter(pk=job.pk).update(total=total)

    def progress(done):
        RosterJob.objects.filter(pk=job.pk).update(processed=done, updated_at=timezone.now())

    content, rows, unmasked = build_workbook(
        user, deputies, unmask=bool(job.params.get("unmask")), on_progress=progress
    )
    job.result_file.save(filename(), ContentFile(content), save=False)
    job.total = total
    job.processed = rows
    job.state = RosterJob.State.DONE
    job.finished_at = timezone.now()
    job.save()
    _log(user, params=filters, rows=rows, unmasked=unmasked, reason=job.params.get("reason", ""), job=job)
    return job


def runs_inline(total: int) -> bool:
    return total <= inline_limit()


def template_workbook() -> bytes:
    """An empty roster with the import columns, for staff to fill in."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Deputies"))[:31])
    sheet.append([str(label) for _field, label, _required in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
