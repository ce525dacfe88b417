"""The leaders' dashboard (领导驾驶舱): one congress's year across the four apps, for the
chairpersons' meeting and the office. A reader who reaches several congresses chooses one; any
other congress looks absent (404)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from congress import access, dashboard, permissions, selectors_dashboard
from congress.views.support import int_param

YEARS_SHOWN = 6


def _year(request, this_year: int) -> int:
    year = int_param(request, "year")
    return year if year is not None and 2000 <= year <= this_year + 1 else this_year


@access.require(permissions.can_view_leaders_dashboard)
def leaders_dashboard(request):
    bodies = list(permissions.dashboard_bodies(request.user))
    wanted = int_param(request, "body")
    body = next((body for body in bodies if wanted is None or body.pk == wanted), None)
    if body is None:
        raise Http404
    today = timezone.localdate()
    overview = selectors_dashboard.overview(request.user, body=body, year=_year(request, today.year), today=today)
    return render(request, "console/congress/dashboard.html", {
        "overview": overview,
        "cards": dashboard.cards(request.user, overview),
        "bodies": bodies,
        "years": range(today.year + 1, today.year - YEARS_SHOWN, -1),
    })


urlpatterns = [
    path("leaders-dashboard/", leaders_dashboard, name="leaders_dashboard"),
]
