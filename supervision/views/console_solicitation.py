"""The office opens (or re-dates) the topic solicitation of a plan year from the inbox: while the
window is open, citizens propose on the public site and deputies from the portal."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.views.support import run_service
from supervision import permissions, services
from supervision.forms import SolicitationForm
from supervision.models import SolicitationWindow


def solicitation_context(user) -> dict:
    """The form and the latest windows of the user's bodies, for the inbox page."""
    bodies = permissions.staff_bodies(user).order_by("level", "name")
    windows = SolicitationWindow.objects.filter(body__in=bodies).select_related("body").order_by("-year", "body__name")
    return {"solicitation_form": SolicitationForm(bodies=bodies), "windows": windows[:5]}


@access.require(permissions.can_work_supervision)
@require_POST
def solicitation_open(request):
    bodies = permissions.staff_bodies(request.user)
    if not bodies.exists():
        raise Http404
    form = SolicitationForm(request.POST, bodies=bodies)
    if form.is_valid():
        run_service(request, lambda: services.solicitation_open(actor=request.user, **form.cleaned_data),
                    _("The solicitation is open."))
    else:
        messages.error(request, _("Choose the plan year and the dates the solicitation opens and closes."))
    return redirect("console:supervision:inbox")


urlpatterns = [
    path("solicitation/", solicitation_open, name="solicitation_open"),
]
