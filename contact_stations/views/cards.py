"""QR contact cards printed by staff, township officers and keepers: per station and per deputy,
as an A6 card (`?size=a6`, the default) or an A4 poster (`?size=a4`). The card carries only the
public URL; a station or deputy outside the user's scope is a 404."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from congress import access
from congress.permissions import can_use_console
from contact_stations import permissions, qr
from contact_stations.models import StationDeputy
from deputies.models import Deputy


def _public_url(request, path_: str) -> str:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{site}{path_}" if site else request.build_absolute_uri(path_)


def _size(request) -> str:
    size = request.GET.get("size", "a6")
    return size if size in qr.SIZES else "a6"


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@access.require(can_use_console)
def station_card(request, pk):
    station = permissions.visible_stations(request.user).filter(pk=pk).first()
    if station is None:
        raise Http404
    url = _public_url(request, reverse("public:stations:station", args=[station.public_code]))
    size = _size(request)
    content = qr.card_pdf(
        title=station.name,
        subtitle=_("Deputies’ contact station: scan to see the reception days and leave your opinion"),
        url=url,
        size=size,
    )
    return _pdf(content, f"station-{station.pk}-{size}.pdf")


def _deputy_in_scope(user, pk: int) -> Deputy | None:
    """A serving deputy stationed at a station the user sees, or in the region of an office the
    user speaks for."""
    deputy = Deputy.objects.serving().select_related("body__region").filter(pk=pk).first()
    if deputy is None:
        return None
    stations = permissions.visible_stations(user)
    if StationDeputy.objects.current().filter(deputy=deputy, station__in=stations).exists():
        return deputy
    paths = permissions.organ_paths(user)
    if paths is None or any(deputy.body.region.path.startswith(prefix) for prefix in paths):
        return deputy
    return None


@access.require(can_use_console)
def deputy_card(request, pk):
    deputy = _deputy_in_scope(request.user, pk)
    if deputy is None:
        raise Http404
    url = _public_url(request, reverse("public:stations:deputy", args=[deputy.public_code]))
    size = _size(request)
    content = qr.card_pdf(
        title=_("Deputy %(name)s") % {"name": deputy.name},
        subtitle=_("Scan to leave your opinion to your deputy"),
        url=url,
        size=size,
    )
    return _pdf(content, f"deputy-{deputy.pk}-{size}.pdf")


urlpatterns = [
    path("cards/station/<int:pk>/", station_card, name="station_card"),
    path("cards/deputy/<int:pk>/", deputy_card, name="deputy_card"),
]
