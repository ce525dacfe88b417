"""The office's console pages for proposals, mounted at /console/suggestions/.

Intake queue and review (accept, return with a standard reason, accept a motion or convert it),
assignment with units suggested from past assignments of the category, the deadlines board with
each date's basis, extension and objection decisions, urging with a printable urging letter,
re-handling orders, paper ratings, key suggestions and statistics. Lists come from
`suggestions.selectors_console`; every write goes through `suggestions.services`, whose refusals
are shown as messages with their stable wording.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.exports import CONTENT_TYPE
from congress.models import Event
from congress.views.support import apply_validation_error, int_param, page, run_service
from congress.workflow import TransitionForbidden, WorkflowError
from suggestions import (
    documents,
    exports,
    forms_console,
    permissions,
    selectors,
    selectors_console,
    services,
    statistics,
)
from suggestions.models import Assignment, Extension, KeySuggestion, Proposal
from suggestions.services.merging import MERGEABLE_STATES

work = access.require(permissions.can_work_proposals)
follow_keys = access.require(permissions.can_follow_key_suggestions)
read_statistics = access.require(permissions.can_read_statistics)
export_statistics = access.require(permissions.can_export_statistics)


# ---- helpers ----------------------------------------------------------------------------------


def _proposal(request, pk) -> Proposal:
    try:
        return selectors.proposal_detail(request.user, pk)
    except Proposal.DoesNotExist as error:
        raise Http404 from error


def _assignment(request, pk) -> Assignment:
    try:
        return selectors_console.assignment_get(request.user, pk)
    except Assignment.DoesNotExist as error:
        raise Http404 from error




def _to_proposal(proposal_id):
    return redirect("console:suggestions:proposal_detail", pk=proposal_id)


# ---- intake and review ------------------------------------------------------------------------


@work
def intake(request):
    tab = "assign" if request.GET.get("tab") == "assign" else "review"
    state = Proposal.State.ACCEPTED if tab == "assign" else Proposal.State.SUBMITTED
    return render(
        request,
        "console/suggestions/intake.html",
        {
            "tab": tab,
            "page_obj": page(request, selectors_console.intake_queue(request.user, state=state)),
            "today": timezone.localdate(),
        },
    )


@work
def proposal_detail(request, pk):
    proposal = _proposal(request, pk)
    return render(request, "console/suggestions/proposal_detail.html", _detail_context(request, proposal))


def _detail_context(request, proposal: Proposal, **forms) -> dict:
    user = request.user
    assignments = list(proposal.assignments.all())
    ratings = {}
    for assignment in assignments:
        ratings[assignment.pk] = list(selectors.ratings_for(user, assignment))
        assignment.visible_ratings = ratings[assignment.pk]
        assignment.urgings = list(selectors_console.urging_events(assignment))
    reviewing = proposal.state == Proposal.State.SUBMITTED
    mergeable = proposal.state in MERGEABLE_STATES and permissions.can_merge(user, proposal)
    return {
        "proposal": proposal,
        "assignments": assignments,
        "timeline": selectors.timeline(proposal),
        "keys": list(KeySuggestion.objects.filter(proposal=proposal).select_related(
            "supervising_leader", "committee")),
        "merged_with": selectors.merged_with(user, proposal),
        "can_merge": mergeable,
        "similar": selectors.similar_proposals(proposal.body, proposal.title, exclude_pk=proposal.pk)
        if mergeable else [],
        "mergeable_states": MERGEABLE_STATES,
        "can_review": reviewing and permissions.can_review(user, proposal),
        "can_assign": proposal.state == Proposal.State.ACCEPTED and permissions.can_assign(user, proposal),
        "can_designate": permissions.can_designate_key(user, proposal)
        and proposal.state not in (Proposal.State.DRAFT, Proposal.State.SUBMITTED, Proposal.State.RETURNED,
                                   Proposal.State.WITHDRAWN),
        "return_form": forms.get("return_form") or forms_console.ReturnForm(body=proposal.body),
        "key_form": forms.get("key_form") or forms_console.KeyDesignateForm(body=proposal.body),
        "note_form": forms_console.NoteForm(),
        "unit_choices": forms_console.unit_choices(),
        "active_states": Assignment.ACTIVE_STATES,
        "today": timezone.localdate(),
    }


@work
@require_POST
def proposal_accept(request, pk):
    proposal = _proposal(request, pk)
    run_service(request, lambda: services.proposal_accept(actor=request.user, proposal=proposal),
        _("Proposal accepted."))
    return _to_proposal(proposal.pk)


@work
@require_POST
def proposal_convert(request, pk):
    proposal = _proposal(request, pk)
    form = forms_console.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.motion_convert_to_suggestion(actor=request.user, proposal=proposal, note=note),
        _("The motion was accepted as a suggestion."),
    )
    return _to_proposal(proposal.pk)


@work
@require_POST
def proposal_return(request, pk):
    proposal = _proposal(request, pk)
    form = forms_console.ReturnForm(request.POST, body=proposal.body)
    if not form.is_valid():
        return render(
            request, "console/suggestions/proposal_detail.html", _detail_context(request, proposal, return_form=form)
        )
    data = form.cleaned_data
    run_service(
        request,
        lambda: services.proposal_return(
            actor=request.user, proposal=proposal, reason=data["reason"], note=data["note"],
            convert_to_letter=data["convert_to_letter"],
        ),
        _("Proposal returned to the deputy."),
    )
    return _to_proposal(proposal.pk)


@work
def proposal_assign(request, pk):
    proposal = _proposal(request, pk)
    if not permissions.can_assign(request.user, proposal):
        raise PermissionDenied
    form = forms_console.AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_assign(
                actor=request.user, proposal=proposal, lead_unit=data["lead_unit"], co_units=data["co_units"],
                split_units=data["split_units"],
            )
        except TransitionForbidden as error:
            raise PermissionDenied from error
        except WorkflowError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Proposal assigned."))
            return _to_proposal(proposal.pk)
    return render(
        request,
        "console/suggestions/assign.html",
        {"proposal": proposal, "form": form, "suggested": statistics.suggested_units(proposal)},
    )


# ---- deadlines, extensions, objections --------------------------------------------------------


@work
def deadlines(request):
    today = timezone.localdate()
    board = selectors.deadlines_board(request.user, today=today)
    return render(
        request,
        "console/suggestions/deadlines.html",
        {
            "today": today,
            "overdue": page(request, board["overdue"]),
            "due_soon": board["due_soon"][:100],
            "intake": selectors_console.intake_deadlines(request.user, today=today)[:100],
        },
    )


@work
def extensions(request):
    return render(
        request,
        "console/suggestions/extensions.html",
        {"page_obj": page(request, selectors_console.pending_extensions(request.user)),
         "note_form": forms_console.NoteForm()},
    )


def _extension(request, pk) -> Extension:
    extension = selectors_console.pending_extensions(request.user).filter(pk=pk).first()
    if extension is None:
        raise Http404
    return extension


@work
@require_POST
def extension_approve(request, pk):
    extension = _extension(request, pk)
    note = request.POST.get("note", "")
    run_service(request, lambda: services.extension_approve(actor=request.user, extension=extension, note=note),
        _("Extension approved; the unit and the deputy are told."))
    return redirect("console:suggestions:extensions")


@work
@require_POST
def extension_refuse(request, pk):
    extension = _extension(request, pk)
    form = forms_console.NoteForm(request.POST, required=True)
    if not form.is_valid():
        messages.error(request, _("Give the reason for refusing the extension."))
        return redirect("console:suggestions:extensions")
    run_service(request, lambda: services.extension_refuse(actor=request.user, extension=extension,
                                                   note=form.cleaned_data["note"]),
        _("Extension refused; the unit and the deputy are told."))
    return redirect("console:suggestions:extensions")


@work
def objections(request):
    return render(
        request,
        "console/suggestions/objections.html",
        {"page_obj": page(request, selectors_console.pending_objections(request.user)),
         "unit_choices": forms_console.unit_choices()},
    )


@work
@require_POST
def objection_refuse(request, pk):
    objection = selectors_console.pending_objections(request.user).filter(pk=pk).first()
    if objection is None:
        raise Http404
    form = forms_console.NoteForm(request.POST, required=True)
    if not form.is_valid():
        messages.error(request, _("Give the reason for refusing the objection."))
        return redirect("console:suggestions:objections")
    run_service(request, lambda: services.objection_refuse(actor=request.user, objection=objection,
                                                   note=form.cleaned_data["note"]),
        _("Objection refused; the unit continues handling."))
    return redirect("console:suggestions:objections")


@work
@require_POST
def assignment_reassign(request, pk):
    assignment = _assignment(request, pk)
    form = forms_console.ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the unit to reassign to."))
    else:
        run_service(
            request,
            lambda: services.assignment_reassign(
                actor=request.user, assignment=assignment, unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            ),
            _("Reassigned to %(unit)s.") % {"unit": form.cleaned_data["unit"]},
        )
    if request.POST.get("next") == "objections":
        return redirect("console:suggestions:objections")
    return _to_proposal(assignment.proposal_id)


# ---- urging -----------------------------------------------------------------------------------


@work
@require_POST
def assignment_urge(request, pk):
    assignment = _assignment(request, pk)
    form = forms_console.NoteForm(request.POST, required=True)
    if not form.is_valid():
        messages.error(request, _("Write what the unit is urged to do."))
    else:
        run_service(request, lambda: services.assignment_urge(actor=request.user, assignment=assignment,
                                                      note=form.cleaned_data["note"]),
            _("Urging notice sent; the urging letter can be printed from the assignment."))
    return _to_proposal(assignment.proposal_id)


@work
def urging_letter(request, pk, event_pk):
    assignment = _assignment(request, pk)
    if not permissions.can_decide_for_body(request.user, assignment):
        raise PermissionDenied
    try:
        event = selectors_console.urging_event_get(assignment, event_pk)
    except Event.DoesNotExist as error:
        raise Http404 from error
    response = HttpResponse(documents.urging_letter_pdf(assignment, event), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.urging_letter_filename(event)}"'
    response["Cache-Control"] = "no-store"
    return response


# ---- evaluation follow-up ---------------------------------------------------------------------


@work
def rehandling(request):
    return render(
        request,
        "console/suggestions/rehandling.html",
        {"page_obj": page(request, selectors_console.rehandling_decisions(request.user)),
         "note_form": forms_console.NoteForm(), "today": timezone.localdate()},
    )


@work
@require_POST
def rehandling_order(request, pk):
    assignment = _assignment(request, pk)
    note = request.POST.get("note", "")
    run_service(request, lambda: services.rehandling_order(actor=request.user, assignment=assignment, note=note),
        _("Re-handling ordered; the unit has a new round to reply."))
    if request.POST.get("next") == "rehandling":
        return redirect("console:suggestions:rehandling")
    return _to_proposal(assignment.proposal_id)


@work
@require_POST
def assignment_close(request, pk):
    assignment = _assignment(request, pk)
    note = request.POST.get("note", "")
    run_service(request, lambda: services.assignment_close(actor=request.user, assignment=assignment, note=note),
        _("Assignment closed."))
    return _to_proposal(assignment.proposal_id)


@work
def paper_rating(request, pk):
    assignment = _assignment(request, pk)
    if not permissions.can_enter_paper_rating(request.user, assignment):
        raise PermissionDenied
    form = forms_console.PaperRatingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rating_enter_paper(
                actor=request.user, assignment=assignment, attitude=data["attitude"], result=data["result"],
                reason=data["reason"], scan=data["scan"], staff_reason=data["staff_reason"],
            )
        except TransitionForbidden as error:
            raise PermissionDenied from error
        except WorkflowError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Paper rating entered; it is marked as entered by staff."))
            return _to_proposal(assignment.proposal_id)
    return render(request, "console/suggestions/paper_rating.html", {"assignment": assignment, "form": form})


# ---- key suggestions --------------------------------------------------------------------------


@follow_keys
def key_suggestions(request):
    year = int_param(request, "year")
    return render(
        request,
        "console/suggestions/key_suggestions.html",
        {
            "page_obj": page(request, selectors_console.key_suggestions(request.user, year=year)),
            "year": year,
        },
    )


@follow_keys
@require_POST
def key_designate(request, pk):
    proposal = _proposal(request, pk)
    form = forms_console.KeyDesignateForm(request.POST, body=proposal.body)
    if not form.is_valid():
        return render(
            request, "console/suggestions/proposal_detail.html", _detail_context(request, proposal, key_form=form)
        )
    data = form.cleaned_data
    run_service(
        request,
        lambda: services.key_suggestion_designate(
            actor=request.user, proposal=proposal, year=data["year"], supervising_leader=data["supervising_leader"],
            committee=data["committee"],
        ),
        _("Designated a key suggestion for %(year)s.") % {"year": data["year"]},
    )
    return _to_proposal(proposal.pk)


@follow_keys
@require_POST
def key_progress(request, pk):
    try:
        key = selectors_console.key_suggestion_get(request.user, pk)
    except KeySuggestion.DoesNotExist as error:
        raise Http404 from error
    form = forms_console.KeyProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the progress and its date."))
    else:
        run_service(
            request,
            lambda: services.key_suggestion_progress_add(
                actor=request.user, key_suggestion=key, note=form.cleaned_data["note"],
                noted_on=form.cleaned_data["noted_on"],
            ),
            _("Progress noted."),
        )
    return redirect("console:suggestions:key_suggestions")


# ---- statistics -------------------------------------------------------------------------------


def _statistics(request):
    form = forms_console.StatisticsForm(request.GET or None, user=request.user)
    bodies = list(form.fields["body"].queryset)
    body = form.value("body", bodies[0] if bodies else None)
    year = form.value("year", timezone.localdate().year)
    dimension = form.value("dimension", "unit")
    if body is None:
        raise Http404
    return form, statistics.compute(request.user, body=body, year=year), dimension


@read_statistics
def statistics_page(request):
    form, figures, dimension = _statistics(request)
    return render(
        request,
        "console/suggestions/statistics.html",
        {
            "form": form,
            "statistics": figures,
            "dimension": dimension,
            "dimensions": statistics.DIMENSIONS,
            "chart": statistics.chart_data(figures, dimension),
            "can_export": permissions.can_export_statistics(request.user),
        },
    )


@export_statistics
def statistics_export(request):
    _form, figures, _dimension = _statistics(request)
    content = exports.export_statistics(user=request.user, statistics=figures, request=request)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(figures)}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("intake/", intake, name="intake"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/accept/", proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/convert/", proposal_convert, name="proposal_convert"),
    path("proposals/<int:pk>/return/", proposal_return, name="proposal_return"),
    path("proposals/<int:pk>/assign/", proposal_assign, name="proposal_assign"),
    path("proposals/<int:pk>/designate-key/", key_designate, name="key_designate"),
    path("deadlines/", deadlines, name="deadlines"),
    path("extensions/", extensions, name="extensions"),
    path("extensions/<int:pk>/approve/", extension_approve, name="extension_approve"),
    path("extensions/<int:pk>/refuse/", extension_refuse, name="extension_refuse"),
    path("objections/", objections, name="objections"),
    path("objections/<int:pk>/refuse/", objection_refuse, name="objection_refuse"),
    path("assignments/<int:pk>/reassign/", assignment_reassign, name="assignment_reassign"),
    path("assignments/<int:pk>/urge/", assignment_urge, name="assignment_urge"),
    path("assignments/<int:pk>/urging/<int:event_pk>/letter.pdf", urging_letter, name="urging_letter"),
    path("assignments/<int:pk>/rehandling/", rehandling_order, name="rehandling_order"),
    path("assignments/<int:pk>/close/", assignment_close, name="assignment_close"),
    path("assignments/<int:pk>/paper-rating/", paper_rating, name="paper_rating"),
    path("rehandling/", rehandling, name="rehandling"),
    path("key-suggestions/", key_suggestions, name="key_suggestions"),
    path("key-suggestions/<int:pk>/progress/", key_progress, name="key_progress"),
    path("statistics/", statistics_page, name="statistics"),
    path("statistics/export.xlsx", statistics_export, name="statistics_export"),
]
