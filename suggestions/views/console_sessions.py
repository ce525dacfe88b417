"""Face-to-face sessions in the console, mounted at /console/suggestions/sessions/.

The office plans a session (units attending, deputies and members invited), builds its agenda
from proposal numbers or from the deputies' meeting requests, shows the projector screen with
the agenda and the QR code of the session's phone page, opens and closes rating, and reads the
results per item: the deputy's rating and the members' ratings counted apart. A unit officer
reads the sessions their unit attends.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from congress import access
from congress.permissions import visible_bodies
from congress.qr import qr_svg
from congress.views.support import choice, page, run_form_service, run_service
from suggestions import permissions
from suggestions import selectors_sessions as selectors
from suggestions.forms_sessions import AgendaAddForm, SessionForm
from suggestions.models import AgendaItem, FaceToFaceSession
from suggestions.services import sessions as services

manage = access.require(permissions.can_manage_sessions)
handle = access.require(permissions.can_handle_for_unit)


def _session(request, pk) -> FaceToFaceSession:
    try:
        return selectors.session_get(request.user, pk)
    except FaceToFaceSession.DoesNotExist as error:
        raise Http404 from error


def _item(request, pk) -> AgendaItem:
    try:
        return selectors.agenda_item_get(request.user, pk)
    except AgendaItem.DoesNotExist as error:
        raise Http404 from error


def _to_session(pk):
    return redirect("console:suggestions:session_detail", pk=pk)


def _staff_bodies(request):
    return [body for body in visible_bodies(request.user).order_by("level", "name")
            if permissions.is_staff_for(request.user, body)]


@manage
@require_GET
def session_list(request):
    state = choice(request, "state", FaceToFaceSession.State.choices)
    return render(request, "console/suggestions/sessions/list.html", {
        "page_obj": page(request, selectors.session_list(request.user, state=state)),
        "state": state,
        "states": FaceToFaceSession.State.choices,
        "requests": selectors.meeting_requests(request.user),
    })


@manage
def session_create(request):
    bodies = _staff_bodies(request)
    if not bodies:
        raise PermissionDenied
    raw = request.POST.get("body") or request.GET.get("body")
    body = next((body for body in bodies if str(body.pk) == raw), bodies[0])
    form = SessionForm(request.POST or None, body=body)
    created = {}

    def create(data):
        created["session"] = services.session_create(actor=request.user, body=body, **data)

    if request.method == "POST" and run_form_service(form, create):
        return _to_session(created["session"].pk)
    return render(request, "console/suggestions/sessions/form.html", {
        "form": form, "body": body, "bodies": bodies, "session": None,
    })


@manage
def session_edit(request, pk):
    session = _session(request, pk)
    if not permissions.can_manage_session(request.user, session):
        raise PermissionDenied
    initial = {
        "title": session.title, "starts_at": session.starts_at, "place": session.place,
        "units": list(session.units.all()), "deputies": list(session.deputies.all()),
        "members": list(session.members.all()),
    }
    form = SessionForm(request.POST or None, body=session.body, initial=initial)

    def update(data):
        services.session_update(actor=request.user, session=session, **data)

    if request.method == "POST" and run_form_service(form, update):
        return _to_session(session.pk)
    return render(request, "console/suggestions/sessions/form.html", {
        "form": form, "body": session.body, "bodies": [session.body], "session": session,
    })


@manage
@require_GET
def session_detail(request, pk):
    session = _session(request, pk)
    return render(request, "console/suggestions/sessions/detail.html", _detail_context(request, session))


def _detail_context(request, session, add_form=None) -> dict:
    return {
        "session": session,
        "items": selectors.agenda(session),
        "add_form": add_form or AgendaAddForm(body=session.body),
        "requests": [event for event in selectors.meeting_requests(request.user, body_ids=[session.body_id])
                     if session.pk not in event.sessions],
        "timeline": selectors.session_timeline(session),
        "can_manage": permissions.can_manage_session(request.user, session),
        "portal_url": request.build_absolute_uri(reverse("portal:suggestions:session", args=[session.pk])),
    }


@manage
@require_POST
def agenda_add(request, pk):
    session = _session(request, pk)
    form = AgendaAddForm(request.POST, body=session.body)
    if not form.is_valid():
        return render(request, "console/suggestions/sessions/detail.html",
                      _detail_context(request, session, add_form=form), status=400)
    run_service(request, lambda: services.agenda_add(actor=request.user, session=session,
                                                     proposal=form.cleaned_data["proposal"]),
                _("Put on the agenda."))
    return _to_session(session.pk)


@manage
@require_POST
def agenda_remove(request, pk):
    item = _item(request, pk)
    run_service(request, lambda: services.agenda_remove(actor=request.user, item=item), _("Taken off the agenda."))
    return _to_session(item.session_id)


@manage
@require_POST
def agenda_move(request, pk):
    item = _item(request, pk)
    up = request.POST.get("direction") != "down"
    run_service(request, lambda: services.agenda_move(actor=request.user, item=item, up=up), _("Agenda reordered."))
    return _to_session(item.session_id)


# Rating opens and closes by a button each; success messages say what the room sees next.
STATE_BUTTONS = {
    "open": (services.session_open, gettext_lazy("Rating is open. Show the screen to the room.")),
    "close": (services.session_close, gettext_lazy("Rating at the session is closed.")),
}


@manage
@require_POST
def session_state(request, pk, action):
    session = _session(request, pk)
    service, success = STATE_BUTTONS[action]
    run_service(request, lambda: service(actor=request.user, session=session), str(success))
    return _to_session(session.pk)


@manage
@require_GET
def session_screen(request, pk):
    """The projector page: the agenda and one QR code of the session's phone page."""
    session = _session(request, pk)
    url = request.build_absolute_uri(reverse("portal:suggestions:session", args=[session.pk]))
    return render(request, "console/suggestions/sessions/screen.html", {
        "session": session,
        "items": selectors.agenda(session),
        "url": url,
        "qr": qr_svg(url, label=_("QR code of the rating page"), css_class="session-qr"),
    })


@manage
@require_GET
def session_results(request, pk):
    session = _session(request, pk)
    return render(request, "console/suggestions/sessions/results.html", {
        "session": session, "results": selectors.results(session),
    })


# ---- the units' read-only view ----------------------------------------------------------------


@handle
@require_GET
def unit_session_list(request):
    return render(request, "console/suggestions/sessions/unit_list.html", {
        "page_obj": page(request, selectors.session_list(request.user)),
    })


@handle
@require_GET
def unit_session_detail(request, pk):
    session = _session(request, pk)
    return render(request, "console/suggestions/sessions/unit_detail.html", {
        "session": session, "items": selectors.agenda(session),
    })


urlpatterns = [
    path("sessions/", session_list, name="session_list"),
    path("sessions/new/", session_create, name="session_create"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/agenda/", agenda_add, name="session_agenda_add"),
    path("sessions/agenda/<int:pk>/remove/", agenda_remove, name="session_agenda_remove"),
    path("sessions/agenda/<int:pk>/move/", agenda_move, name="session_agenda_move"),
    path("sessions/<int:pk>/open/", session_state, {"action": "open"}, name="session_open"),
    path("sessions/<int:pk>/close/", session_state, {"action": "close"}, name="session_close"),
    path("sessions/<int:pk>/screen/", session_screen, name="session_screen"),
    path("sessions/<int:pk>/results/", session_results, name="session_results"),
    path("unit/sessions/", unit_session_list, name="unit_session_list"),
    path("unit/sessions/<int:pk>/", unit_session_detail, name="unit_session_detail"),
]
