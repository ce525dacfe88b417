"""The public questionnaire of a special work evaluation, opened from a single-use link on a phone.

The page shows one question per appraisal dimension; the answer spends the link (the service's
conditional update makes a second submission fail) and is stored without any tie to the link or
the deputy. Submissions are rate limited per address (SECURITY S14); GET never changes anything.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from congress import access, ratelimit
from congress.views.support import apply_validation_error
from congress.workflow import WorkflowError
from supervision import selectors, services
from supervision.forms import QuestionnaireForm
from supervision.models import WorkEvaluation

SUBMIT_RATE = "20/h"
OPEN_PHASES = (WorkEvaluation.Phase.MOBILISE, WorkEvaluation.Phase.INVESTIGATE)


@access.public
@never_cache
@ratelimit.limit("supervision.questionnaire", rate=SUBMIT_RATE)
def questionnaire(request, token):
    link = selectors.questionnaire_link(token)
    if link is None or link.used_at is not None:
        return render(request, "public/supervision/questionnaire.html",
                      {"error": str(services.LinkUsed.default_message)}, status=404 if link is None else 410)
    evaluation = link.evaluation
    if evaluation.phase not in OPEN_PHASES:
        return render(request, "public/supervision/questionnaire.html",
                      {"error": str(services.QuestionnaireClosed.default_message)}, status=410)
    form = QuestionnaireForm(request.POST or None, dimensions=evaluation.dimension_choices())
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.questionnaire_answer(token=token, ratings=form.ratings(), comment=form.cleaned_data["comment"])
            except ValidationError as error:
                apply_validation_error(form, error)
            except WorkflowError as error:
                return render(request, "public/supervision/questionnaire.html", {"error": str(error.message)},
                              status=error.status)
            else:
                return render(request, "public/supervision/questionnaire.html", {"done": True})
    return render(request, "public/supervision/questionnaire.html",
                  {"form": form, "evaluation": evaluation, "audience": link.get_audience_display()}, status=status)


urlpatterns = [
    path("q/<str:token>/", questionnaire, name="questionnaire"),
]
