"""Console pages of the outstanding-deputy selection: list, and one selection's workflow page
(open nominations, nominate by town, review, decide within the quota, publish) with its timeline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.models import Body, Event
from congress.permissions import visible_bodies
from congress.views.support import run_service
from deputies import permissions, services
from deputies import selectors_selection as selectors
from deputies.forms_outreach import DecisionForm, NominationForm, NoteForm, ReviewForm, SelectionCreateForm
from deputies.models import Nomination, Selection

outreach = access.require(permissions.can_use_outreach_console)






def _runnable_bodies(user):
    return Body.objects.filter(
        pk__in=[body.pk for body in visible_bodies(user) if permissions.can_run_selection(user, body)]
    ).order_by("level", "region__path")


@outreach
def selection_list(request):
    bodies = _runnable_bodies(request.user)
    form = SelectionCreateForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            selection = services.selection_create(
                actor=request.user, body=form.cleaned_data["body"], year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The selection was created."))
            return redirect("console:deputies:selection_detail", selection.pk)
    return render(
        request,
        "console/deputies/selection/list.html",
        {"selections": selectors.selections_for(request.user), "form": form, "can_create": bodies.exists()},
    )


def _selection(request, pk) -> Selection:
    try:
        return selectors.selection_get(request.user, pk)
    except Selection.DoesNotExist:
        from django.http import Http404

        raise Http404 from None


@outreach
def selection_detail(request, pk):
    selection = _selection(request, pk)
    user = request.user
    can_run = permissions.can_run_selection(user, selection.body)
    nominations = list(selectors.nominations(selection))
    state = selection.state
    context = {
        "selection": selection,
        "nominations": nominations,
        "can_run": can_run,
        "selected_count": sum(1 for n in nominations if n.outcome == Nomination.Outcome.SELECTED),
        "events": Event.objects.for_object(selection).select_related("actor").order_by("-created_at", "-pk"),
        "State": Selection.State,
    }
    if state == Selection.State.NOMINATING:
        context["nomination_form"] = NominationForm(deputies=selectors.nominable_deputies(user, selection))
        context["withdrawable"] = {
            n.pk for n in nominations if permissions.can_nominate(user, selection.body, n.town.path if n.town else None)
        }
    if can_run and state == Selection.State.REVIEWING:
        context["review_form"] = ReviewForm()
        context["note_form"] = NoteForm()
        recommended = [n.pk for n in nominations if n.review == Nomination.Review.RECOMMENDED]
        context["decision_form"] = DecisionForm(nominations=nominations, initial={"selected": recommended})
    return render(request, "console/deputies/selection/detail.html", context)


def _back(selection):
    return redirect("console:deputies:selection_detail", selection.pk)


@outreach
@require_POST
def selection_open(request, pk):
    selection = _selection(request, pk)
    run_service(request, lambda: services.selection_open_nominations(actor=request.user, selection=selection),
         _("Nominations are open."))
    return _back(selection)


@outreach
@require_POST
def nomination_create(request, pk):
    selection = _selection(request, pk)
    form = NominationForm(request.POST, deputies=selectors.nominable_deputies(request.user, selection))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(selection)
    deputy = form.deputies[form.cleaned_data["deputy"]]
    run_service(
        request,
        lambda: services.nomination_create(
            actor=request.user, selection=selection, deputy=deputy, reason=form.cleaned_data["reason"]
        ),
        _("%(deputy)s was nominated.") % {"deputy": deputy.name},
    )
    return _back(selection)


@outreach
@require_POST
def nomination_withdraw(request, pk, nomination_pk):
    selection = _selection(request, pk)
    nomination = get_object_or_404(Nomination.objects.select_related("deputy", "selection"), pk=nomination_pk,
                                   selection=selection)
    run_service(request, lambda: services.nomination_withdraw(actor=request.user, nomination=nomination),
         _("The nomination was withdrawn."))
    return _back(selection)


@outreach
@require_POST
def selection_close(request, pk):
    selection = _selection(request, pk)
    run_service(request, lambda: services.selection_close_nominations(actor=request.user, selection=selection),
         _("Nominations are closed; the review begins."))
    return _back(selection)


@outreach
@require_POST
def selection_reopen(request, pk):
    selection = _selection(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.selection_reopen_nominations(actor=request.user, selection=selection, note=note),
        _("The list was sent back for nominations."),
    )
    return _back(selection)


@outreach
@require_POST
def nomination_review(request, pk, nomination_pk):
    selection = _selection(request, pk)
    nomination = get_object_or_404(Nomination.objects.select_related("selection"), pk=nomination_pk,
                                   selection=selection)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a review opinion."))
        return _back(selection)
    run_service(
        request,
        lambda: services.nomination_review(
            actor=request.user, nomination=nomination, review=form.cleaned_data["review"],
            note=form.cleaned_data["note"],
        ),
        _("The review was recorded."),
    )
    return _back(selection)


@outreach
@require_POST
def selection_decide(request, pk):
    selection = _selection(request, pk)
    form = DecisionForm(request.POST, nominations=list(selectors.nominations(selection)))
    if not form.is_valid():
        messages.error(request, _("Choose the selected deputies."))
        return _back(selection)
    run_service(
        request,
        lambda: services.selection_decide(
            actor=request.user, selection=selection, selected=form.cleaned_data["selected"],
            note=form.cleaned_data["note"],
        ),
        _("The decision was recorded."),
    )
    return _back(selection)


@outreach
@require_POST
def selection_publish(request, pk):
    selection = _selection(request, pk)
    run_service(request, lambda: services.selection_publish(actor=request.user, selection=selection),
         _("The list is published."))
    return _back(selection)


urlpatterns = [
    path("selections/", selection_list, name="selection_list"),
    path("selections/<int:pk>/", selection_detail, name="selection_detail"),
    path("selections/<int:pk>/open/", selection_open, name="selection_open"),
    path("selections/<int:pk>/nominations/", nomination_create, name="selection_nominate"),
    path("selections/<int:pk>/nominations/<int:nomination_pk>/withdraw/", nomination_withdraw,
         name="selection_withdraw"),
    path("selections/<int:pk>/nominations/<int:nomination_pk>/review/", nomination_review,
         name="selection_review"),
    path("selections/<int:pk>/close/", selection_close, name="selection_close"),
    path("selections/<int:pk>/reopen/", selection_reopen, name="selection_reopen"),
    path("selections/<int:pk>/decide/", selection_decide, name="selection_decide"),
    path("selections/<int:pk>/publish/", selection_publish, name="selection_publish"),
]
