"""The handling units' console pages, mounted at /console/suggestions/unit/.

A unit officer sees only their own unit's assignments (another unit's item is a 404), with the
deadlines and their basis; takes an item on or objects; records contacts with the deputy;
requests an extension; gives a co-handler's opinion; submits the reply with its dated
commitments (refused, with the stable message, until a contact is recorded) and reports a
commitment fulfilled. Ratings are read through `selectors.ratings_for`, which shows a unit a
rating only once the deputy has submitted it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.views.support import page, run_form_service
from congress.workflow import TransitionForbidden, WorkflowError
from suggestions import forms_console, permissions, selectors, selectors_console, services
from suggestions.models import Assignment, Commitment

handle = access.require(permissions.can_handle_for_unit)

FORMS = {
    "contact_form": lambda assignment, data=None: forms_console.ContactForm(data),
    "object_form": lambda assignment, data=None: forms_console.NoteForm(data, required=True, label=_("Reasons")),
    "extension_form": lambda assignment, data=None: forms_console.ExtensionForm(data),
    "opinion_form": lambda assignment, data=None, files=None: forms_console.CoOpinionForm(data, files),
    "reply_form": lambda assignment, data=None, files=None: forms_console.ReplyForm(
        data, files, body=assignment.proposal.body
    ),
}


def _own_assignment(request, pk) -> Assignment:
    """The officer's own unit's assignment; anyone else's is a 404, never a 403 (SECURITY S3)."""
    try:
        assignment = selectors_console.assignment_get(request.user, pk)
    except Assignment.DoesNotExist as error:
        raise Http404 from error
    if not permissions.can_act_for_unit(request.user, assignment):
        raise Http404
    return assignment


def _to_item(assignment):
    return redirect("console:suggestions:unit_item", pk=assignment.pk)


@handle
def unit_items(request):
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "console/suggestions/unit_items.html",
        {"page_obj": page(request, selectors.unit_assignments(request.user, open_only=not show_all)),
         "show_all": show_all, "today": timezone.localdate()},
    )


def _item_page(request, assignment: Assignment, status=200, **bound):
    context = {
        "assignment": assignment,
        "proposal": assignment.proposal,
        "ratings": list(selectors.ratings_for(request.user, assignment)),
        "is_active": assignment.state in Assignment.ACTIVE_STATES,
        "can_reply": assignment.answers and assignment.state in (
            Assignment.State.ASSIGNED, Assignment.State.HANDLING, Assignment.State.REHANDLING
        ),
        "can_give_opinion": assignment.role == Assignment.Role.CO and assignment.state in (
            Assignment.State.ASSIGNED, Assignment.State.HANDLING
        ),
        "today": timezone.localdate(),
        **selectors_console.assignment_workspace(request.user, assignment),
    }
    for name, build in FORMS.items():
        context[name] = bound.get(name) or build(assignment)
    context["has_contact_this_round"] = any(c.round == assignment.round for c in context["contacts"])
    return render(request, "console/suggestions/unit_item.html", context, status=status)


@handle
def unit_item(request, pk):
    return _item_page(request, _own_assignment(request, pk))


def _submit(request, assignment, form_name, form, action, success):
    """Validate `form`, call the service; on a refusal show the page again with the message on the
    form (nothing is saved), on success go back to the item."""
    if run_form_service(form, action):
        messages.success(request, success)
        return _to_item(assignment)
    return _item_page(request, assignment, status=200, **{form_name: form})


@handle
@require_POST
def unit_accept(request, pk):
    assignment = _own_assignment(request, pk)
    try:
        services.assignment_accept(actor=request.user, assignment=assignment)
    except TransitionForbidden as error:
        raise PermissionDenied from error
    except WorkflowError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You have taken the assignment on."))
    return _to_item(assignment)


@handle
@require_POST
def unit_object(request, pk):
    assignment = _own_assignment(request, pk)
    return _submit(
        request, assignment, "object_form", FORMS["object_form"](assignment, request.POST),
        lambda data: services.assignment_object(actor=request.user, assignment=assignment, reason=data["note"]),
        _("Objection sent to the office."),
    )


@handle
@require_POST
def unit_contact(request, pk):
    assignment = _own_assignment(request, pk)
    return _submit(
        request, assignment, "contact_form", FORMS["contact_form"](assignment, request.POST),
        lambda data: services.contact_record(actor=request.user, assignment=assignment, **data),
        _("Contact recorded."),
    )


@handle
@require_POST
def unit_extension(request, pk):
    assignment = _own_assignment(request, pk)
    return _submit(
        request, assignment, "extension_form", FORMS["extension_form"](assignment, request.POST),
        lambda data: services.extension_request(
            actor=request.user, assignment=assignment, requested_due=data["requested_due"], reason=data["reason"]
        ),
        _("Extension requested; the office will decide."),
    )


@handle
@require_POST
def unit_co_opinion(request, pk):
    assignment = _own_assignment(request, pk)
    return _submit(
        request, assignment, "opinion_form", FORMS["opinion_form"](assignment, request.POST, request.FILES),
        lambda data: services.co_opinion_submit(
            actor=request.user, assignment=assignment, text=data["text"], document=data["document"]
        ),
        _("Opinion sent to the lead unit."),
    )


@handle
@require_POST
def unit_reply(request, pk):
    assignment = _own_assignment(request, pk)
    form = FORMS["reply_form"](assignment, request.POST, request.FILES)
    return _submit(
        request, assignment, "reply_form", form,
        lambda data: services.reply_submit(
            actor=request.user, assignment=assignment, text=data["text"], reply_class=data["reply_class"],
            officer=data["officer"], document=data["document"], commitments=form.commitments(),
        ),
        _("Reply submitted; every signer receives it and the deputy is asked to rate it."),
    )


@handle
@require_POST
def unit_fulfil(request, pk, commitment_pk):
    assignment = _own_assignment(request, pk)
    commitment = Commitment.objects.filter(pk=commitment_pk, reply__assignment=assignment).first()
    if commitment is None:
        raise Http404
    form = forms_console.FulfilForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe what was done."))
        return _to_item(assignment)
    try:
        services.commitment_fulfil(actor=request.user, commitment=commitment, report=form.cleaned_data["report"])
    except TransitionForbidden as error:
        raise PermissionDenied from error
    except WorkflowError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Fulfilment reported; the deputy is told."))
    return _to_item(assignment)


urlpatterns = [
    path("unit/", unit_items, name="unit_items"),
    path("unit/<int:pk>/", unit_item, name="unit_item"),
    path("unit/<int:pk>/accept/", unit_accept, name="unit_accept"),
    path("unit/<int:pk>/object/", unit_object, name="unit_object"),
    path("unit/<int:pk>/contact/", unit_contact, name="unit_contact"),
    path("unit/<int:pk>/extension/", unit_extension, name="unit_extension"),
    path("unit/<int:pk>/opinion/", unit_co_opinion, name="unit_co_opinion"),
    path("unit/<int:pk>/reply/", unit_reply, name="unit_reply"),
    path("unit/<int:pk>/commitments/<int:commitment_pk>/fulfil/", unit_fulfil, name="unit_fulfil"),
]
