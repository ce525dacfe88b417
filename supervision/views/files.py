"""Uploaded supervision files, each served only to those who may read the record it belongs to.

A unit's work report is read by whoever may read its topic, an implementation report by whoever
may see its opinion (a unit never sees a draft). Files go out through congress.uploads.serve_upload:
a download unless it is a PDF or image recognised by its bytes, never rendered as a page (S16).
Anything outside the reader's scope is a 404, as on the pages that link here.
"""

from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_GET

from congress import access
from congress.uploads import serve_upload
from supervision import permissions
from supervision.models import ImplementationReport, UnitReport

readers = access.require(permissions.can_read_supervision)


@readers
@require_GET
def unit_report_file(request, pk):
    report = UnitReport.objects.filter(pk=pk, topic__in=permissions.visible_topics(request.user)).first()
    if report is None:
        raise Http404
    return serve_upload(report.file, inline=True)


@readers
@require_GET
def implementation_report_file(request, pk):
    report = ImplementationReport.objects.filter(
        pk=pk, opinion__in=permissions.visible_opinions(request.user)
    ).first()
    if report is None:
        raise Http404
    return serve_upload(report.file, inline=True)


urlpatterns = [
    path("unit-reports/<int:pk>/file/", unit_report_file, name="unit_report_file"),
    path("implementation-reports/<int:pk>/file/", implementation_report_file, name="implementation_report_file"),
]
