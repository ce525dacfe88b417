"""A station activity's console page: its deputies, its photos (uploaded by the keeper or staff,
shown as thumbnails through a permission-checked view, never from MEDIA_URL) and whether it is
shown on the station's public page (SECURITY S16)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import Event
from congress.uploads import serve_upload
from congress.views.support import apply_validation_error
from contact_stations import permissions, services
from contact_stations.forms_console import ActivityPhotoForm
from contact_stations.models import StationActivity, StationActivityPhoto
from contact_stations.views.console import read_stations


def _activity(request, pk) -> StationActivity:
    activity = (
        StationActivity.objects.filter(pk=pk, station__in=permissions.visible_stations(request.user))
        .select_related("station__region")
        .prefetch_related("participants", "photos")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def _page(request, activity, *, photo_form=None, status=200):
    can_edit = permissions.can_record_activity(request.user, activity.station)
    return render(
        request,
        "console/stations/activity_detail.html",
        {
            "activity": activity,
            "can_edit": can_edit,
            "photo_form": (photo_form or ActivityPhotoForm()) if can_edit else None,
            "events": Event.objects.for_object(activity).select_related("actor").order_by("created_at", "pk"),
        },
        status=status,
    )


@read_stations
def activity_detail(request, pk):
    return _page(request, _activity(request, pk))


@read_stations
@require_POST
def activity_photo_add(request, pk):
    activity = _activity(request, pk)
    if not permissions.can_record_activity(request.user, activity.station):
        raise PermissionDenied
    form = ActivityPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, activity, photo_form=form, status=400)
    try:
        services.station_activity_add_photo(
            actor=request.user, activity=activity, image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return _page(request, activity, photo_form=form, status=400)
    messages.success(request, _("The photo was added."))
    return redirect("console:stations:activity_detail", pk=activity.pk)


@read_stations
@require_POST
def activity_publish(request, pk):
    activity = _activity(request, pk)
    is_public = request.POST.get("is_public") == "1"
    services.station_activity_set_public(actor=request.user, activity=activity, is_public=is_public)
    if is_public:
        messages.success(request, _("The activity and its photos are shown on the public station page."))
    else:
        messages.success(request, _("The activity was taken off the public station page."))
    return redirect("console:stations:activity_detail", pk=activity.pk)


@read_stations
def activity_photo(request, pk):
    """A photo for whoever sees its station in the console; anyone else gets a 404."""
    photo = (
        StationActivityPhoto.objects.filter(
            pk=pk, activity__station__in=permissions.visible_stations(request.user)
        ).first()
    )
    if photo is None:
        raise Http404
    return serve_upload(photo.image, inline=True, images_only=True)


urlpatterns = [
    path("activities/<int:pk>/", activity_detail, name="activity_detail"),
    path("activities/<int:pk>/photos/", activity_photo_add, name="activity_photo_add"),
    path("activities/<int:pk>/publish/", activity_publish, name="activity_publish"),
    path("activities/photos/<int:pk>/", activity_photo, name="activity_photo"),
]
