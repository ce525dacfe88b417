"""Console pages of letters and visits (来信来访).

The office registers a letter or a visit, routes it to a unit, answers it itself or closes it once
the unit has answered; a unit officer sees only the letters routed to their unit and answers them
(anything else is a 404). The petitioner's name and phone are masked everywhere; the office may
see them in full for a stated reason, which is logged (SECURITY S17, S18). The themes counted over
the last twelve months show beside the list, and on the solicitation inbox.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import access
from congress.forms import UnmaskForm
from congress.masking import mask_name, mask_phone
from congress.models import Event
from congress.views.support import apply_validation_error, choice, error_text, int_param, page, run_service
from congress.workflow import WorkflowError
from supervision import permissions, selectors, services
from supervision.forms import LetterAnswerForm, LetterRegisterForm, LetterRouteForm
from supervision.models import LetterVisit
from supervision.services.common import today

readers = access.require(permissions.can_read_letters)
staff_only = access.require(permissions.can_work_supervision)
THEME_WINDOW_DAYS = 365


def recent_theme_counts(user, body=None) -> list[tuple[str, int]]:
    """Themes of the letters and visits of the last twelve months, most frequent first."""
    return selectors.letter_counts_by_theme(user, body=body,
                                            since=today() - datetime.timedelta(days=THEME_WINDOW_DAYS))


@readers
@never_cache
def letter_list(request):
    filters = {
        "theme": request.GET.get("theme", "")[:64],
        "state": choice(request, "state", LetterVisit.State.choices),
        "kind": choice(request, "kind", LetterVisit.Kind.choices),
        "unit_id": int_param(request, "unit"),
        "year": int_param(request, "year"),
    }
    return render(request, "console/supervision/letter_list.html", {
        "page_obj": page(request, selectors.letters(request.user, **filters)),
        "filters": filters,
        "states": LetterVisit.State.choices,
        "kinds": LetterVisit.Kind.choices,
        **selectors.letter_filter_choices(request.user),
        "theme_counts": recent_theme_counts(request.user),
        "can_register": permissions.can_work_supervision(request.user),
    })


@staff_only
@never_cache
def letter_create(request):
    bodies = permissions.staff_bodies(request.user).order_by("level", "name")
    form = LetterRegisterForm(request.POST or None, bodies=bodies, initial={"received_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.letter_register(
                actor=request.user, body=data["body"], kind=data["kind"], received_on=data["received_on"],
                theme=data["theme"], summary=data["summary"], name=data["name"], phone=data["phone"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("console:supervision:letter_detail", letter.pk)
    return render(request, "console/supervision/letter_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _letter_or_404(user, pk) -> LetterVisit:
    letter = selectors.letters(user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    return letter


def _detail(request, letter: LetterVisit, *, unmasked=None, unmask_form=None, status=200):
    user = request.user
    is_office = permissions.can_handle_letters(user, letter.body)
    has_contact = bool(letter.petitioner_name or letter.petitioner_phone)
    can_answer = permissions.can_answer_letter(user, letter) and letter.state in (
        LetterVisit.State.REGISTERED, LetterVisit.State.ROUTED
    ) and (is_office or letter.state == LetterVisit.State.ROUTED)
    return render(request, "console/supervision/letter_detail.html", {
        "letter": letter,
        "petitioner_name": unmasked["name"] if unmasked else mask_name(letter.petitioner_name),
        "petitioner_phone": unmasked["phone"] if unmasked else mask_phone(letter.petitioner_phone),
        "unmasked": bool(unmasked),
        "is_office": is_office,
        "route_form": LetterRouteForm() if is_office and letter.state == LetterVisit.State.REGISTERED else None,
        "answer_form": LetterAnswerForm() if can_answer else None,
        "can_close": is_office and letter.state == LetterVisit.State.ANSWERED,
        "unmask_form": None if unmasked or not has_contact or not permissions.can_unmask_letter(user, letter)
        else unmask_form or UnmaskForm(),
        "events": Event.objects.for_object(letter).select_related("actor").order_by("created_at", "pk"),
    }, status=status)


@readers
@never_cache
def letter_detail(request, pk):
    return _detail(request, _letter_or_404(request.user, pk))


@readers
@never_cache
@require_POST
def letter_act(request, pk, action):
    letter = _letter_or_404(request.user, pk)
    actor = request.user
    if action == "route":
        form = LetterRouteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            run_service(request, lambda: services.letter_route(actor=actor, letter=letter, unit=data["unit"],
                                                               note=data["note"]),
                        _("The letter was passed to the unit."))
        else:
            messages.error(request, _("Choose the unit."))
    elif action == "answer":
        form = LetterAnswerForm(request.POST)
        answer = form.cleaned_data["answer"] if form.is_valid() else ""
        run_service(request, lambda: services.letter_answer(actor=actor, letter=letter, answer=answer),
                    _("The answer was recorded."))
    elif action == "close":
        run_service(request, lambda: services.letter_close(actor=actor, letter=letter), _("The letter was closed."))
    elif action == "unmask":
        form = UnmaskForm(request.POST)
        if not form.is_valid():
            return _detail(request, letter, unmask_form=form, status=400)
        unmasked = services.letter_unmask(actor=actor, letter=letter, reason=form.cleaned_data["reason"],
                                          request=request)
        return _detail(request, letter, unmasked=unmasked)
    else:
        raise Http404
    return redirect("console:supervision:letter_detail", letter.pk)


urlpatterns = [
    path("letters/", letter_list, name="letter_list"),
    path("letters/new/", letter_create, name="letter_create"),
    path("letters/<int:pk>/", letter_detail, name="letter_detail"),
    path("letters/<int:pk>/<str:action>/", letter_act, name="letter_act"),
]
