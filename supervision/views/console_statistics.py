"""The console's supervision statistics for a plan year: charts with the same figures in tables
below them (for anyone without JavaScript or a screen reader), and an Excel export."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from congress import access
from congress.exports import CONTENT_TYPE
from congress.views.support import int_param
from supervision import exports, permissions, statistics

YEARS_SHOWN = 6


def _year(request) -> int:
    year = int_param(request, "year")
    this_year = timezone.localdate().year
    return year if year is not None and 2000 <= year <= this_year + 1 else this_year


@access.require(permissions.can_read_statistics)
def statistics_page(request):
    figures = statistics.compute(request.user, year=_year(request))
    this_year = timezone.localdate().year
    return render(request, "console/supervision/statistics.html", {
        "statistics": figures,
        "year": figures.year,
        "years": range(this_year + 1, this_year - YEARS_SHOWN, -1),
        "charts": figures.charts(),
        "chart_names": figures.chart_names(),
        "can_export": permissions.can_export_statistics(request.user),
    })


@access.require(permissions.can_export_statistics)
def statistics_export(request):
    figures = statistics.compute(request.user, year=_year(request))
    content = exports.export_statistics(user=request.user, statistics=figures, request=request)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(figures.year)}"'
    return response


urlpatterns = [
    path("statistics/", statistics_page, name="statistics"),
    path("statistics/export/", statistics_export, name="statistics_export"),
]
