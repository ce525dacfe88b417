"""Public pages of the contact stations, phone-first and without login: the directory, a station's
page (its QR code leads here), a deputy's contact card, the opinion form, the receipt, tracking
by receipt code and the single-use rating page.

The opinion form and the SMS-code request are rate limited per address (SECURITY S14); pages
that carry a citizen's phone are never cached (S19).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import access, ratelimit, security_log
from congress.uploads import serve_upload
from congress.views.support import apply_validation_error, page
from congress.workflow import WorkflowError
from contact_stations import selectors_public, services
from contact_stations.forms_public import OpinionForm, PhoneForm, RatingForm, TrackForm
from contact_stations.models import Station
from deputies.models import Deputy

DIRECTORY_PAGE_SIZE = 100
SUBMIT_RATE = "20/h"
SMS_RATE = "10/h"
TRACK_RATE = "120/h"
RECEIPT_SESSION_KEY = "stations_receipt_code"


def _station_or_404(code: str) -> Station:
    station = selectors_public.station_page(code)
    if station is None:
        raise Http404
    return station


def _deputy_or_404(code: str) -> Deputy:
    try:
        return selectors_public.deputy_card(code)
    except Deputy.DoesNotExist:
        raise Http404 from None


# ---- directory, station, deputy ----------------------------------------------------------------


@access.public
def directory(request):
    towns = selectors_public.directory_towns()
    town_id = request.GET.get("town", "")
    town = next((item for item in towns if str(item.pk) == town_id), None)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Station.Kind.values else ""
    query = request.GET.get("q", "").strip()[:50]
    stations = selectors_public.directory_stations(town=town, kind=kind, query=query)
    return render(
        request,
        "public/stations/directory.html",
        {
            "page_obj": page(request, stations, DIRECTORY_PAGE_SIZE),
            "towns": towns,
            "town": town,
            "kind": kind,
            "kinds": Station.Kind.choices,
            "query": query,
        },
    )


@access.public
def station_detail(request, code):
    station = _station_or_404(code)
    shifts = selectors_public.station_upcoming_shifts(station, today=timezone.localdate())
    activities = selectors_public.station_public_activities(station)
    return render(
        request, "public/stations/station.html", {"station": station, "shifts": shifts, "activities": activities}
    )


@access.public
def activity_photo(request, code, pk):
    """A photo of a published activity; a photo of an unpublished one is a 404, like a wrong code."""
    photo = selectors_public.public_activity_photo(code, pk)
    if photo is None:
        raise Http404
    return serve_upload(photo.image, inline=True, images_only=True)


@access.public
def deputy_detail(request, code):
    deputy = _deputy_or_404(code)
    return render(
        request,
        "public/stations/deputy.html",
        {
            "deputy": deputy,
            "stations": selectors_public.deputy_stations(deputy),
            "shifts": selectors_public.deputy_upcoming_shifts(deputy, today=timezone.localdate()),
        },
    )


# ---- submitting an opinion ----------------------------------------------------------------------


def _target(station_code=None, deputy_code=None) -> dict:
    if station_code is not None:
        station = _station_or_404(station_code)
        return {
            "station": station,
            "deputy": None,
            "submit_url": reverse("public:stations:submit_station", args=[station.public_code]),
            "sms_url": reverse("public:stations:sms_code_station", args=[station.public_code]),
        }
    deputy = _deputy_or_404(deputy_code)
    return {
        "station": None,
        "deputy": deputy,
        "submit_url": reverse("public:stations:submit_deputy", args=[deputy.public_code]),
        "sms_url": reverse("public:stations:sms_code_deputy", args=[deputy.public_code]),
    }


def _submit(request, target):
    form = OpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_submit(
                station=target["station"],
                deputy=target["deputy"],
                content=data["content"],
                category=data["category"],
                place=data["place"],
                citizen_name=data["citizen_name"],
                citizen_phone=data["citizen_phone"],
                consent=data["consent"],
                sms_code=data["sms_code"],
                photos=data["photos"],
            )
        except services.SmsCodeRejected as error:
            form.add_error("sms_code", str(error.message))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            request.session[RECEIPT_SESSION_KEY] = opinion.receipt_code
            return redirect("public:stations:receipt")
    status = 400 if request.method == "POST" else 200
    return render(request, "public/stations/submit.html", {**target, "form": form}, status=status)


def _sms_code(request, target):
    """Send a code to the phone in the form, then show the same form again with what was typed
    (photos excepted: the form asks for them after the contact details)."""
    initial = {name: request.POST.get(name, "") for name in ("content", "category", "place", "citizen_name",
                                                               "citizen_phone")}
    initial["consent"] = bool(request.POST.get("consent"))
    phone_form = PhoneForm(request.POST)
    phone_error, status, sent = "", 200, False
    if not phone_form.is_valid():
        phone_error, status = " ".join(phone_form.errors["citizen_phone"]), 400
    else:
        try:
            phone = phone_form.cleaned_data["citizen_phone"]
            services.sms_code_request(phone=phone, ip=security_log.client_ip(request))
        except WorkflowError as error:  # SmsRateLimited (429) or SmsCodeRejected (400)
            phone_error, status = str(error.message), error.status
        except ValidationError as error:
            phone_error, status = " ".join(error.messages), 400
        else:
            sent = True
    context = {**target, "form": OpinionForm(initial=initial), "phone_error": phone_error, "code_sent": sent}
    return render(request, "public/stations/submit.html", context, status=status)


@access.public
@never_cache
@ratelimit.limit("stations.submit", rate=SUBMIT_RATE)
def submit_to_station(request, code):
    return _submit(request, _target(station_code=code))


@access.public
@never_cache
@ratelimit.limit("stations.submit", rate=SUBMIT_RATE)
def submit_to_deputy(request, code):
    return _submit(request, _target(deputy_code=code))


@access.public
@never_cache
@require_POST
@ratelimit.limit("stations.sms_code", rate=SMS_RATE)
def sms_code_for_station(request, code):
    return _sms_code(request, _target(station_code=code))


@access.public
@never_cache
@require_POST
@ratelimit.limit("stations.sms_code", rate=SMS_RATE)
def sms_code_for_deputy(request, code):
    return _sms_code(request, _target(deputy_code=code))


@access.public
@never_cache
def receipt(request):
    code = request.session.get(RECEIPT_SESSION_KEY)
    if not code:
        return redirect("public:stations:track")
    return render(request, "public/stations/receipt.html", {"code": code})


# ---- tracking and rating ----------------------------------------------------------------------


@access.public
@never_cache
@ratelimit.limit("stations.track", rate=TRACK_RATE, methods=("GET",))
def track(request):
    form = TrackForm(request.GET or None)
    status, timeline, searched = None, [], False
    if request.GET and form.is_valid():
        searched = True
        status, timeline = selectors_public.opinion_status(form.cleaned_data["code"])
    return render(
        request,
        "public/stations/track.html",
        {"form": form, "status": status, "timeline": timeline, "searched": searched},
        status=404 if searched and status is None else 200,
    )


@access.public
@never_cache
def rate(request, token):
    """The single-use rating page reached from the SMS sent after closure."""
    form = RatingForm(request.POST or None)
    context = {"form": form, "done": None, "error": None}
    http_status = 200
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.return_visit_rate(
                token=token, rating=form.cleaned_data["rating"], reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            context["error"], http_status = str(error.message), error.status
        except ValidationError as error:
            apply_validation_error(form, error)
            http_status = 400
        else:
            context["done"] = visit
    elif request.method == "POST":
        http_status = 400
    if context["done"] is None and context["error"] is None:
        link = selectors_public.rating_link(token)
        if link is None:
            context["error"], http_status = str(services.RatingLinkInvalid.default_message), 404
        context["link"] = link
    return render(request, "public/stations/rate.html", context, status=http_status)


urlpatterns = [
    path("", directory, name="directory"),
    path("s/<str:code>/", station_detail, name="station"),
    path("s/<str:code>/opinion/", submit_to_station, name="submit_station"),
    path("s/<str:code>/photos/<int:pk>/", activity_photo, name="activity_photo"),
    path("s/<str:code>/opinion/sms-code/", sms_code_for_station, name="sms_code_station"),
    # Keyed by the deputy's public code only: an old /deputy/<pk>/ link is a plain 404, never a
    # redirect that would reveal which code belongs to which mandate (SECURITY S14).
    path("deputy/<str:code>/", deputy_detail, name="deputy"),
    path("deputy/<str:code>/opinion/", submit_to_deputy, name="submit_deputy"),
    path("deputy/<str:code>/opinion/sms-code/", sms_code_for_deputy, name="sms_code_deputy"),
    path("opinions/submitted/", receipt, name="receipt"),
    path("opinions/track/", track, name="track"),
    # Must match contact_stations.services.return_visits.RATE_PATH (the link in the SMS).
    path("opinions/rate/<str:token>/", rate, name="rate"),
]
