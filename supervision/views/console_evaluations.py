"""Console workspace of special work evaluations (专项工作评议).

The office creates the evaluation on a work-evaluation topic with its group (members and deputies),
moves it mobilise → investigate → appraise, runs the symposiums (the topic's activities, counted
per town), sends questionnaires to deputies (to their inbox) and citizens (printed links), opens
and closes the plenary appraisal (members vote from the portal, per dimension and overall), and
after a failed vote follows the rectification plan and ledger to the second vote; once passed, it
publishes the result. The unit evaluated sees its own evaluation only (any other is a 404), writes
the rectification plan and fills its ledger items.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import access
from congress.models import Event
from congress.permissions import unit_ids
from congress.views.support import apply_validation_error, choice, error_text, int_param, page, run_service
from congress.workflow import WorkflowError
from deputies.models import Deputy
from supervision import permissions, selectors, services
from supervision.forms import CitizenLinksForm, EvaluationForm, InviteDeputiesForm, LedgerAddForm, TextForm
from supervision.models import QuestionnaireLink, SupervisionActivity, TopicKind, WorkEvaluation, dimension_label
from supervision.services.common import member_ids
from supervision.services.evaluation import questionnaire_url

readers = access.require(permissions.can_read_supervision)
Phase = WorkEvaluation.Phase
# The office's next step from each phase (the vote itself moves appraise → rectify or published).
NEXT_PHASE = {Phase.MOBILISE: Phase.INVESTIGATE, Phase.INVESTIGATE: Phase.APPRAISE, Phase.RECTIFY: Phase.APPRAISE}


@readers
def evaluation_list(request):
    year, phase = int_param(request, "year"), choice(request, "phase", Phase.choices)
    return render(request, "console/supervision/evaluation_list.html", {
        "page_obj": page(request, selectors.evaluations(request.user, year=year, phase=phase)),
        "year": year, "phase": phase, "phases": Phase.choices,
    })


@readers
def evaluation_create(request, pk):
    topic = selectors.visible_topics(request.user).filter(pk=pk, kind=TopicKind.WORK_EVALUATION).first()
    if topic is None or not permissions.can_work_topic(request.user, topic):
        raise Http404
    if WorkEvaluation.objects.filter(topic=topic).exists():
        return redirect("console:supervision:evaluation_detail", topic.evaluation.pk)
    body = topic.plan.body
    form = EvaluationForm(request.POST or None, body=body, member_ids=member_ids(body), initial={
        "year": topic.plan.year, "unit": topic.supervised_units.first(),
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_create(actor=request.user, topic=topic, unit=data["unit"],
                                                    year=data["year"], members=data["members"],
                                                    deputies=data["deputies"])
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("console:supervision:evaluation_detail", evaluation.pk)
    return render(request, "console/supervision/evaluation_form.html", {"topic": topic, "form": form},
                  status=400 if request.method == "POST" else 200)


def _evaluation_or_404(user, pk) -> WorkEvaluation:
    evaluation = selectors.evaluation_detail(user, pk)
    if evaluation is None:
        raise Http404
    return evaluation


def _results(evaluation) -> list[dict]:
    """Questionnaire results per audience and dimension, with each choice's count."""
    results = selectors.questionnaire_results(evaluation)
    return [
        {"audience": label, "dimensions": [
            (dimension_label(code), results.get(audience, {}).get(code, {})) for code in evaluation.dimensions
        ]}
        for audience, label in QuestionnaireLink.Audience.choices if audience in results
    ]


def _symposiums(evaluation) -> list[SupervisionActivity]:
    return list(SupervisionActivity.objects.filter(topic_id=evaluation.topic_id).select_related("place")
                .order_by("date", "pk"))


@readers
def evaluation_detail(request, pk):
    evaluation = _evaluation_or_404(request.user, pk)
    user = request.user
    can_work = permissions.can_work_evaluation(user, evaluation)
    is_unit = evaluation.unit_id in unit_ids(user)
    collecting = evaluation.phase in (Phase.MOBILISE, Phase.INVESTIGATE)
    ledger = list(selectors.ledger(user, evaluation=evaluation).order_by("round", "due_on", "pk"))
    activities = _symposiums(evaluation)
    towns: dict[str, int] = {}
    for activity in activities:
        if activity.place_id:
            towns[activity.place.name] = towns.get(activity.place.name, 0) + 1
    return render(request, "console/supervision/evaluation_detail.html", {
        "evaluation": evaluation,
        "can_work": can_work,
        "is_unit": is_unit,
        "next_phase": NEXT_PHASE.get(evaluation.phase) if can_work else None,
        "next_phase_label": Phase(NEXT_PHASE[evaluation.phase]).label if evaluation.phase in NEXT_PHASE else "",
        "activities": activities,
        "towns": sorted(towns.items()),
        "counts": selectors.questionnaire_counts(evaluation),
        "results": _results(evaluation),
        "pending_deputy_links": list(
            QuestionnaireLink.objects.filter(evaluation=evaluation, audience=QuestionnaireLink.Audience.DEPUTY,
                                             used_at__isnull=True).select_related("deputy").order_by("pk")
        ) if can_work and collecting else [],
        "invite_form": InviteDeputiesForm() if can_work and collecting else None,
        "citizen_form": CitizenLinksForm(initial={"count": 50}) if can_work and collecting else None,
        "rounds": [(number, [(dimension_label(vote.dimension), vote) for vote in votes])
                   for number, votes in selectors.appraisal_rounds(evaluation)],
        "appraisal_open": evaluation.votes.filter(round=evaluation.round, state="open").exists(),
        "plan_form": TextForm(initial={"text": evaluation.rectification_plan})
        if evaluation.phase == Phase.RECTIFY and (can_work or is_unit) else None,
        "ledger": ledger,
        "ledger_form": LedgerAddForm(units=type(evaluation.unit).objects.filter(pk=evaluation.unit_id))
        if evaluation.phase == Phase.RECTIFY and (can_work or is_unit) else None,
        "result_form": TextForm(initial={"text": evaluation.result})
        if can_work and evaluation.phase == Phase.PUBLISHED else None,
        "events": Event.objects.for_object(evaluation).select_related("actor").order_by("created_at", "pk"),
    })


def _invitees(evaluation, who: str):
    if who == InviteDeputiesForm.ALL:
        return list(Deputy.objects.of_body(evaluation.topic.plan.body).serving().order_by("pk"))
    return list(evaluation.group_deputies.order_by("pk"))


def _links_page(request, evaluation, tokens, title):
    """Links are shown once, right after they are made: only their digests are kept (never cached)."""
    links = [request.build_absolute_uri(questionnaire_url(token)) for token in tokens]
    return render(request, "console/supervision/evaluation_links.html",
                  {"evaluation": evaluation, "links": links, "title": title})


@readers
@never_cache
@require_POST
def evaluation_act(request, pk, action):
    evaluation = _evaluation_or_404(request.user, pk)
    actor = request.user
    if action == "advance":
        target = request.POST.get("to", "")
        run_service(request, lambda: services.evaluation_advance(actor=actor, evaluation=evaluation, to=target),
                    _("The evaluation moved to its next phase."))
    elif action == "appraisal_open":
        run_service(request, lambda: services.appraisal_open(actor=actor, evaluation=evaluation),
                    _("The appraisal is open: members vote from their portal."))
    elif action == "appraisal_close":
        run_service(request, lambda: services.appraisal_close(actor=actor, evaluation=evaluation),
                    _("The appraisal was closed."))
    elif action in ("plan", "result"):
        form = TextForm(request.POST)
        text = form.cleaned_data["text"] if form.is_valid() else ""
        if action == "plan":
            run_service(request, lambda: services.evaluation_set_rectification_plan(
                actor=actor, evaluation=evaluation, text=text), _("The rectification plan was recorded."))
        else:
            run_service(request, lambda: services.evaluation_publish_result(
                actor=actor, evaluation=evaluation, text=text), _("The result was published."))
    elif action == "ledger":
        units = type(evaluation.unit).objects.filter(pk=evaluation.unit_id)
        form = LedgerAddForm(request.POST, units=units)
        if form.is_valid():
            run_service(request, lambda: services.rectification_item_add(actor=actor, evaluation=evaluation,
                                                                         **form.cleaned_data),
                        _("The ledger item was added."))
        else:
            messages.error(request, _("Describe the item, its owner unit and its due date."))
    elif action in ("invite", "citizens", "resend"):
        return _questionnaire_act(request, evaluation, action)
    else:
        raise Http404
    return redirect("console:supervision:evaluation_detail", evaluation.pk)


def _questionnaire_act(request, evaluation, action):
    actor = request.user
    if not permissions.can_work_evaluation(actor, evaluation):
        raise Http404
    try:
        if action == "invite":
            form = InviteDeputiesForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose whom to send the questionnaire to."))
            unsent = services.questionnaire_invite_deputies(
                actor=actor, evaluation=evaluation, deputies=_invitees(evaluation, form.cleaned_data["who"]))
            if not unsent:
                messages.success(request, _("The questionnaire was sent to the deputies’ inboxes."))
                return redirect("console:supervision:evaluation_detail", evaluation.pk)
            return _links_page(request, evaluation, unsent.values(),
                               _("Links for the deputies without an account: hand them out"))
        if action == "citizens":
            form = CitizenLinksForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give a number of links between 1 and 500."))
            tokens = services.questionnaire_issue(actor=actor, evaluation=evaluation, audience="citizen",
                                                  count=form.cleaned_data["count"])
            return _links_page(request, evaluation, tokens, _("Questionnaire links for citizens"))
        link = QuestionnaireLink.objects.select_related("deputy", "evaluation__topic__plan__body").filter(
            evaluation=evaluation, pk=request.POST.get("link") if (request.POST.get("link") or "").isdigit() else None
        ).first()
        if link is None:
            raise Http404
        token = services.questionnaire_resend(actor=actor, link=link)
        if link.deputy_id and link.deputy.user_id:
            messages.success(request, _("A new link was sent; the old one no longer works."))
            return redirect("console:supervision:evaluation_detail", evaluation.pk)
        return _links_page(request, evaluation, [token], _("The new link (the old one no longer works)"))
    except (ValidationError, WorkflowError) as error:
        messages.error(request, error_text(error))
        return redirect("console:supervision:evaluation_detail", evaluation.pk)


urlpatterns = [
    path("evaluations/", evaluation_list, name="evaluation_list"),
    path("topics/<int:pk>/evaluation/new/", evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/<str:action>/", evaluation_act, name="evaluation_act"),
]
