"""The deputy's station pages on the phone: my stations and shifts, check in on the day, the
opinions addressed to me or brought by me, and an opinion recorded from a visit (走出去).

Every read goes through selectors_portal, keyed by the user's own mandates: another deputy's
shift or opinion is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import access
from congress.masking import mask_phone
from congress.permissions import can_use_portal
from congress.views.support import apply_validation_error, page
from contact_stations import selectors_portal, services
from contact_stations.forms_portal import VisitOpinionForm
from contact_stations.models import DutyShift, Opinion, ShiftDuty, Station
from deputies.selectors_directory import my_mandates

portal_only = access.require(can_use_portal)
OPINIONS_PAGE_SIZE = 20


def _errors(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", error))


@portal_only
def home(request):
    today = timezone.localdate()
    upcoming = list(selectors_portal.my_upcoming_duties(request.user, today=today))
    for duty in upcoming:
        duty.can_check_in = (
            duty.shift.date == today and duty.shift.state == DutyShift.State.PUBLISHED and not duty.checked_in_at
        )
    return render(
        request,
        "portal/stations/home.html",
        {
            "assignments": selectors_portal.my_stations(request.user),
            "upcoming": upcoming,
            "past": selectors_portal.my_past_duties(request.user, today=today),
            "today": today,
        },
    )


@portal_only
@require_POST
def check_in(request, pk):
    try:
        duty = selectors_portal.my_duty(request.user, pk)
    except ShiftDuty.DoesNotExist:
        raise Http404 from None
    try:
        services.shift_check_in(actor=request.user, shift=duty.shift, deputy=duty.deputy)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error) or _("You cannot check in to this shift."))
    else:
        messages.success(request, _("You are checked in. Thank you for receiving the public."))
    return redirect("portal:stations:home")


@portal_only
@never_cache
def opinion_list(request):
    state = request.GET.get("state", "")
    opinions = selectors_portal.my_opinions(request.user)
    if state == "open":
        opinions = opinions.open()
    elif state == "closed":
        opinions = opinions.filter(state=Opinion.State.CLOSED)
    return render(
        request,
        "portal/stations/opinions.html",
        {"page_obj": page(request, opinions, OPINIONS_PAGE_SIZE), "state": state},
    )


@portal_only
@never_cache
def opinion_detail(request, pk):
    try:
        opinion = selectors_portal.my_opinion(request.user, pk)
    except Opinion.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "portal/stations/opinion.html",
        {"opinion": opinion, "masked_phone": mask_phone(opinion.citizen_phone)},
    )


@portal_only
def record_opinion(request):
    """An opinion the deputy brings back from a visit to the people (走出去)."""
    mandates = list(my_mandates(request.user))
    if not mandates:
        raise Http404
    stations = Station.objects.active().filter(
        pk__in=selectors_portal.my_stations(request.user).values("station_id")
    ).order_by("name")
    form = VisitOpinionForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_record(
                actor=request.user,
                source=Opinion.Source.DEPUTY_VISIT,
                content=data["content"],
                category=data["category"],
                place=data["place"],
                station=data["station"],
                deputy=mandates[0],
                citizen_name=data["citizen_name"],
                citizen_phone=data["citizen_phone"],
                consent=data["consent"],
                received_on=data["received_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            form.add_error("station", _("You are not stationed at this station."))
        else:
            messages.success(
                request, _("The opinion was recorded with receipt code %(code)s.") % {"code": opinion.receipt_code}
            )
            return redirect("portal:stations:opinion", pk=opinion.pk)
    return render(request, "portal/stations/record_opinion.html", {"form": form}, status=400 if form.errors else 200)


urlpatterns = [
    path("", home, name="home"),
    path("shifts/<int:pk>/check-in/", check_in, name="check_in"),
    path("opinions/", opinion_list, name="opinions"),
    path("opinions/new/", record_opinion, name="record_opinion"),
    path("opinions/<int:pk>/", opinion_detail, name="opinion"),
]
