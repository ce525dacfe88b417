"""Public pages: the deputy directory, a deputy's public card, the published outstanding-deputy
lists, and the voters' ballot page reached by a single-use link. Nothing here shows an ID number
or a phone: the public selectors never load them."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from congress import access
from congress.uploads import serve_upload
from deputies import selectors, services
from deputies import selectors_directory as directory
from deputies.forms_outreach import BallotForm
from deputies.models import Deputy
from deputies.selectors_selection import published_selections

PAGE_SIZE = 30


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@access.public
def directory_list(request):
    bodies = list(directory.public_bodies())
    towns = list(directory.public_towns())
    body = next((item for item in bodies if item.pk == _int(request.GET.get("body"))), None)
    town = next((item for item in towns if item.pk == _int(request.GET.get("town"))), None)
    page = Paginator(directory.public_deputies(body=body, town=town), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/deputies/directory.html",
        {"page_obj": page, "bodies": bodies, "towns": towns, "body": body, "town": town},
    )


@access.public
def deputy_detail(request, pk):
    try:
        deputy = directory.public_deputy(pk)
    except Deputy.DoesNotExist:
        raise Http404 from None
    year = selectors.current_year()
    return render(
        request,
        "public/deputies/detail.html",
        {"deputy": deputy, "year": year, "summary": directory.public_duty_summary(deputy, year)},
    )


@access.public
def deputy_photo(request, pk):
    try:
        deputy = directory.public_deputy(pk)
    except Deputy.DoesNotExist:
        raise Http404 from None
    return serve_upload(deputy.photo, inline=True, images_only=True)


@access.public
def outstanding(request):
    return render(request, "public/deputies/outstanding.html", {"selections": published_selections()})


@access.public
@never_cache
def ballot(request, token):
    """The voter's ballot on a phone. A used, unknown or closed link shows why it cannot vote."""
    try:
        slip = services.ballot_slip_for_token(token)
    except services.BallotUnknown:
        raise Http404 from None
    report = slip.report
    form = BallotForm(request.POST or None)
    context = {"report": report, "slip": slip, "form": form, "voted": False, "error": None}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.ballot_cast(token=token, choice=form.cleaned_data["choice"])
            except services.BallotError as error:
                context["error"], status = str(error.message), error.status
            else:
                context["voted"] = True
        else:
            context["error"], status = None, 400
    elif slip.choice:
        context["error"] = str(services.BallotUsed.default_message)
    elif report.state != report.State.HELD:
        context["error"] = str(services.BallotClosed.default_message)
    return render(request, "public/deputies/ballot.html", context, status=status)


urlpatterns = [
    path("", directory_list, name="directory"),
    path("<int:pk>/", deputy_detail, name="detail"),
    path("<int:pk>/photo/", deputy_photo, name="photo"),
    path("outstanding/", outstanding, name="outstanding"),
    path("ballot/<str:token>/", ballot, name="ballot"),
]
