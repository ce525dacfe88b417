"""The face-to-face session on the phone: the page the projected QR code opens.

After login it shows a deputy only the agenda items they rate (the handling of the proposals they
lead: only the lead deputy rates, DESIGN §4) and an invited standing-committee member only the
motions and key suggestions they rate as the second rater group. Anyone else gets a 404, and so
does an item that is not the user's to rate. Ratings go through the session services, which
write ordinary ratings with `via=session`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from congress import access
from congress.models.accounts import Role
from congress.permissions import has_role
from congress.views.support import apply_validation_error, error_text
from congress.workflow import TransitionForbidden, WorkflowError
from suggestions import permissions
from suggestions import selectors_sessions as selectors
from suggestions.forms_portal import RatingForm
from suggestions.models import AgendaItem, FaceToFaceSession
from suggestions.services import sessions as services


def _session(request, pk) -> FaceToFaceSession:
    try:
        return selectors.portal_session(request.user, pk)
    except FaceToFaceSession.DoesNotExist as error:
        raise Http404 from error


def _to_session(pk):
    return redirect("portal:suggestions:session", pk=pk)


@access.login_required
@require_GET
def session_page(request, pk):
    session = _session(request, pk)
    is_member = permissions.can_rate_at_session_as_member(request.user, session)
    return render(request, "portal/suggestions/session.html", {
        "session": session,
        "deputy_items": selectors.items_for_deputy(request.user, session) if has_role(request.user, Role.DEPUTY)
        else [],
        "member_items": selectors.items_for_member(request.user, session) if is_member else [],
        "is_open": session.state == FaceToFaceSession.State.OPEN,
    })


def _rate(request, session, item, submit, *, as_member: bool):
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit(actor=request.user, item=item, attitude=form.cleaned_data["attitude"],
                   result=form.cleaned_data["result"], reason=form.cleaned_data["reason"])
        except TransitionForbidden:
            raise Http404 from None
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            messages.error(request, error_text(error))
            return _to_session(session.pk)
        else:
            messages.success(request, _("Thank you. Your rating has been recorded and cannot be changed by anyone."))
            return _to_session(session.pk)
    elif session.state != FaceToFaceSession.State.OPEN:
        messages.info(request, error_text(services.SessionNotOpen()))
        return _to_session(session.pk)
    return render(request, "portal/suggestions/session_rate.html", {
        "session": session,
        "item": item,
        "assignment": item.assignment,
        "proposal": item.assignment.proposal,
        "reply": selectors.current_reply(item.assignment),
        "form": form,
        "as_member": as_member,
        "action": request.path,
    })


@access.login_required
def session_rate(request, pk, item_pk):
    """The lead deputy rates their own item at the session."""
    session = _session(request, pk)
    try:
        item = selectors.deputy_item(request.user, session, item_pk)
    except AgendaItem.DoesNotExist as error:
        raise Http404 from error
    return _rate(request, session, item, services.session_rating_submit, as_member=False)


@access.login_required
def session_member_rate(request, pk, item_pk):
    """An invited standing-committee member rates a motion or key suggestion at the session."""
    session = _session(request, pk)
    if not permissions.can_rate_at_session_as_member(request.user, session):
        raise Http404
    try:
        item = selectors.member_item(request.user, session, item_pk)
    except AgendaItem.DoesNotExist as error:
        raise Http404 from error
    return _rate(request, session, item, services.session_member_rating_submit, as_member=True)


urlpatterns = [
    path("sessions/<int:pk>/", session_page, name="session"),
    path("sessions/<int:pk>/items/<int:item_pk>/rate/", session_rate, name="session_rate"),
    path("sessions/<int:pk>/items/<int:item_pk>/member-rate/", session_member_rate, name="session_member_rate"),
]
