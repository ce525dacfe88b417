"""Console pages of supervision.

The office (staff) works the solicitation inbox (merge, adopt into a topic, decline with a reason),
drafts the annual plan and carries it through submit, adopt (leaders), publish and adjust with its
versions kept, and on a topic's page closes votes, enters paper tallies and publishes results.
Readers (leaders, members, auditors) see the same pages without the buttons. A unit officer sees
only the topics their unit is supervised on and the ledger items their unit owns: anything else
is a 404 (every read goes through supervision.permissions' scoped querysets).
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.models import Event, Unit
from congress.permissions import unit_ids
from congress.views.support import apply_validation_error, choice, error_text, page, run_service
from congress.workflow import WorkflowError
from supervision import permissions, selectors, services
from supervision.forms import (
    ActivityForm,
    AdoptForm,
    DeclineForm,
    ImplementationReportForm,
    LedgerAddForm,
    LedgerUpdateForm,
    MergeForm,
    OpinionForm,
    PlanCreateForm,
    ReasonForm,
    TallyForm,
    TopicForm,
    UnitReportForm,
)
from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    ImplementationReport,
    OpinionUnit,
    SatisfactionVote,
    SupervisionActivity,
    Topic,
    TopicProposal,
)
from supervision.views.console_letters import recent_theme_counts
from supervision.views.console_solicitation import solicitation_context
from supervision.views.public import group_by_kind

staff_only = access.require(permissions.can_work_supervision)
readers = access.require(permissions.can_read_supervision)


# ---- solicitation inbox -------------------------------------------------------------------------


@staff_only
def inbox(request):
    state = choice(request, "state", TopicProposal.State.choices)
    proposals = selectors.proposal_inbox(request.user, state=state or None).order_by("-created_at", "-pk")
    return render(request, "console/supervision/inbox.html", {
        "page_obj": page(request, proposals), "state": state, "states": TopicProposal.State.choices,
        "theme_counts": recent_theme_counts(request.user), **solicitation_context(request.user),
    })


def _proposal_or_404(user, pk) -> TopicProposal:
    proposal = selectors.proposal_inbox(user).filter(pk=pk).first()
    if proposal is None or not permissions.can_decide_proposal(user, proposal):
        raise Http404
    return proposal


@staff_only
def proposal_detail(request, pk):
    proposal = _proposal_or_404(request.user, pk)
    forms = {
        "decline_form": DeclineForm(prefix="decline"),
        "merge_form": MergeForm(prefix="merge", proposal=proposal),
        "adopt_form": AdoptForm(prefix="adopt", proposal=proposal),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "decline":
            form = forms["decline_form"] = DeclineForm(request.POST, prefix="decline")
            call = lambda data: services.proposal_decline(actor=request.user, proposal=proposal,  # noqa: E731
                                                          reason=data["reason"])
        elif action == "merge":
            form = forms["merge_form"] = MergeForm(request.POST, prefix="merge", proposal=proposal)
            call = lambda data: services.proposal_merge(actor=request.user, proposal=proposal,  # noqa: E731
                                                        into=data["into"])
        elif action == "adopt":
            form = forms["adopt_form"] = AdoptForm(request.POST, prefix="adopt", proposal=proposal)
            call = lambda data: services.proposal_adopt(  # noqa: E731
                actor=request.user, proposal=proposal, plan=data["plan"], kind=data["kind"],
                title=data["title"] or None,
            )
        else:
            raise Http404
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            except WorkflowError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("The proposal was decided."))
                return redirect("console:supervision:inbox")
    return render(request, "console/supervision/proposal_detail.html", {
        "proposal": proposal, "family": services.merged_family(proposal)[1:], **forms,
    }, status=400 if request.method == "POST" else 200)


# ---- plans --------------------------------------------------------------------------------------


def _staff_bodies(user):
    """The bodies whose plans the user drafts: those their staff grants reach."""
    return permissions.staff_bodies(user)


def _plans(user):
    topics = permissions.visible_topics(user)
    bodies = _staff_bodies(user)
    return (
        AnnualPlan.objects.filter(pk__in=topics.values("plan_id")) | AnnualPlan.objects.filter(body__in=bodies)
    ).select_related("body").distinct()


@readers
def plan_list(request):
    form = PlanCreateForm(request.POST or None)
    bodies = list(_staff_bodies(request.user).order_by("level", "name"))
    if request.method == "POST":
        if not bodies:
            raise Http404
        body = next((item for item in bodies if str(item.pk) == request.POST.get("body")), bodies[0])
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, body=body, year=form.cleaned_data["year"],
                                            title=form.cleaned_data["title"])
            except (ValidationError, WorkflowError) as error:
                form.add_error(None, error_text(error))
            else:
                return redirect("console:supervision:plan_detail", plan.pk)
    return render(request, "console/supervision/plan_list.html", {
        "plans": _plans(request.user).order_by("-year", "body__name"), "form": form, "bodies": bodies,
    })


def _plan_or_404(user, pk) -> AnnualPlan:
    plan = _plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@readers
def plan_detail(request, pk):
    plan = _plan_or_404(request.user, pk)
    topics = (
        selectors.visible_topics(request.user).filter(plan=plan).order_by("meeting_date", "pk")
    )
    return render(request, "console/supervision/plan_detail.html", {
        "plan": plan,
        "groups": group_by_kind(topics),
        "versions": plan.versions.select_related("published_by").order_by("-number"),
        "events": Event.objects.for_object(plan).select_related("actor").order_by("created_at", "pk"),
        "can_edit": permissions.can_edit_plan(request.user, plan),
        "theme_counts": recent_theme_counts(request.user, plan.body)
        if permissions.can_edit_plan(request.user, plan) and plan.is_editable else None,
        "can_adopt": permissions.can_adopt_plan(request.user, plan),
        "reason_form": ReasonForm(),
    })


@readers
@require_POST
def plan_act(request, pk, action):
    plan = _plan_or_404(request.user, pk)
    actor = request.user
    reason = request.POST.get("reason", "")
    actions = {
        "submit": (lambda: services.plan_submit(actor=actor, plan=plan), _("The plan was submitted.")),
        "return": (lambda: services.plan_return(actor=actor, plan=plan, note=reason), _("The plan was returned.")),
        "adopt": (lambda: services.plan_adopt(actor=actor, plan=plan), _("The plan was adopted.")),
        "publish": (lambda: services.plan_publish(actor=actor, plan=plan), _("The plan was published.")),
        "adjust": (lambda: services.plan_adjust(actor=actor, plan=plan, reason=reason),
                   _("The plan is open for adjustment.")),
    }
    if action not in actions:
        raise Http404
    call, success = actions[action]
    run_service(request, call, success)
    return redirect("console:supervision:plan_detail", plan.pk)


@staff_only
def topic_form(request, plan_pk, pk=None):
    plan = _plan_or_404(request.user, plan_pk)
    if not permissions.can_edit_plan(request.user, plan):
        raise Http404
    topic = None
    initial = {}
    if pk is not None:
        topic = Topic.objects.filter(plan=plan, pk=pk).first()
        if topic is None:
            raise Http404
        initial = {"kind": topic.kind, "title": topic.title, "description": topic.description,
                   "lead_committee": topic.lead_committee, "supervised_units": list(topic.supervised_units.all()),
                   "meeting_date": topic.meeting_date}
    form = TopicForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if topic is None:
                topic = services.topic_create(
                    actor=request.user, plan=plan, kind=data["kind"], title=data["title"],
                    description=data["description"], lead_committee=data["lead_committee"],
                    supervised_units=data["supervised_units"], meeting_date=data["meeting_date"],
                )
            else:
                services.topic_update(
                    actor=request.user, topic=topic, title=data["title"], description=data["description"],
                    lead_committee=data["lead_committee"], supervised_units=data["supervised_units"],
                )
                if data["meeting_date"] != topic.meeting_date:
                    services.topic_schedule(actor=request.user, topic=topic, meeting_date=data["meeting_date"])
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("console:supervision:plan_detail", plan.pk)
    return render(request, "console/supervision/topic_form.html", {"plan": plan, "topic": topic, "form": form},
                  status=400 if request.method == "POST" else 200)


# ---- topics -------------------------------------------------------------------------------------


@readers
def topic_list(request):
    """Every topic the user may read; for a unit officer, the topics their unit is supervised on."""
    topics = selectors.visible_topics(request.user).order_by("-plan__year", "meeting_date", "pk")
    return render(request, "console/supervision/topic_list.html", {"page_obj": page(request, topics)})


def _topic_or_404(user, pk) -> Topic:
    topic = selectors.visible_topics(user).filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic


def _timeline(topic: Topic, visible_opinions) -> list:
    """The topic's timeline without the events of opinions the user may not see (a unit officer
    never sees a draft opinion, nor its history)."""
    opinion_type = ContentType.objects.get_for_model(DeliberationOpinion)
    shown = {str(opinion.pk) for opinion in visible_opinions}
    return [
        event for event in selectors.topic_timeline(topic)
        if event.content_type_id != opinion_type.pk or event.object_id in shown
    ]


def _units_to_report(opinion: DeliberationOpinion, own_units) -> list[Unit]:
    """The user's units that still owe the opinion a report for its current round (from the
    prefetched recipients and reports: no query)."""
    if opinion.state not in DeliberationOpinion.AWAITING_REPORT:
        return []
    reported = {report.unit_id for report in opinion.reports.all() if report.round == opinion.round}
    return [recipient.unit for recipient in opinion.recipients.all()
            if recipient.unit_id in own_units and recipient.unit_id not in reported]


def _topic_page(user, topic: Topic) -> dict:
    """What the topic page shows, each part scoped to the user, in a fixed number of queries."""
    own_units = unit_ids(user)
    opinions = list(
        permissions.visible_opinions(user).filter(topic=topic).order_by("pk").prefetch_related(
            Prefetch("recipients", queryset=OpinionUnit.objects.select_related("unit")),
            Prefetch("reports", queryset=ImplementationReport.objects.select_related("unit")),
        )
    )
    ledger = list(selectors.ledger(user).filter(opinion__topic=topic).order_by("round", "due_on", "pk"))
    for opinion in opinions:
        opinion.ledger_rows = [row for row in ledger if row.opinion_id == opinion.pk]
        opinion.units_to_report = _units_to_report(opinion, own_units)
    can_work = permissions.can_work_topic(user, topic)
    votes = SatisfactionVote.objects.filter(topic=topic).order_by("round", "dimension", "pk")
    if not can_work and not permissions.can_read_supervision(user):
        votes = votes.filter(is_published=True)
    supervised = [unit for unit in topic.supervised_units.all() if unit.pk in own_units]
    return {
        "topic": topic,
        "activities": SupervisionActivity.objects.filter(topic=topic).select_related("place").prefetch_related(
            "deputies").order_by("date", "pk"),
        "unit_reports": topic.unit_reports.select_related("unit").order_by("-submitted_at"),
        "opinions": opinions,
        "votes": votes,
        "events": _timeline(topic, opinions),
        "can_work": can_work,
        "can_print": permissions.can_print_documents(user, topic),
        "own_units": own_units,
        "report_units": supervised,
        "report_form": UnitReportForm(units=topic.supervised_units.filter(pk__in=own_units)) if supervised else None,
        "tally_form": TallyForm(),
        "activity_form": ActivityForm() if can_work else None,
        "opinion_form": OpinionForm(initial={"units": list(topic.supervised_units.all())}) if can_work else None,
        "can_approve": permissions.can_approve_opinions(user, topic),
        "can_add_ledger": can_work or bool(own_units),
        "ledger_form": LedgerUpdateForm(),
        "inquiries": selectors.topic_inquiries(topic),
        "evaluation": permissions.visible_evaluations(user).filter(topic=topic).first(),
    }


@readers
def topic_detail(request, pk):
    topic = _topic_or_404(request.user, pk)
    return render(request, "console/supervision/topic_detail.html", _topic_page(request.user, topic))


@readers
@require_POST
def unit_report(request, pk):
    topic = _topic_or_404(request.user, pk)
    units = topic.supervised_units.filter(pk__in=unit_ids(request.user))
    form = UnitReportForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        data = form.cleaned_data
        run_service(request, lambda: services.unit_report_submit(
            actor=request.user, topic=topic, unit=data["unit"], title=data["title"], text=data["text"],
            upload=data["file"]), _("The report was uploaded."))
    else:
        messages.error(request, _("Correct the report and upload it again."))
    return redirect("console:supervision:topic_detail", topic.pk)


def _vote_or_404(user, pk) -> SatisfactionVote:
    vote = SatisfactionVote.objects.select_related("topic__plan__body").filter(pk=pk).first()
    if vote is None or not permissions.can_work_topic(user, vote.topic):
        raise Http404
    return vote


@staff_only
@require_POST
def vote_act(request, pk, action):
    vote = _vote_or_404(request.user, pk)
    if action == "close":
        run_service(request, lambda: services.vote_close(actor=request.user, vote=vote), _("The vote was closed."))
    elif action == "publish":
        run_service(request, lambda: services.vote_publish(actor=request.user, vote=vote),
            _("The result was published."))
    elif action == "tally":
        form = TallyForm(request.POST)
        if form.is_valid():
            run_service(request, lambda: services.vote_enter_tally(actor=request.user, vote=vote, **form.cleaned_data),
                 _("The paper ballots were counted."))
        else:
            messages.error(request, _("Enter the counts of paper ballots."))
    else:
        raise Http404
    return redirect("console:supervision:topic_detail", vote.topic_id)


@readers
@require_POST
def opinion_vote_open(request, pk):
    opinion = permissions.visible_opinions(request.user).select_related("topic__plan__body").filter(pk=pk).first()
    if opinion is None or not permissions.can_work_topic(request.user, opinion.topic):
        raise Http404
    run_service(request, lambda: services.vote_open(actor=request.user, topic=opinion.topic,
                                             subject=SatisfactionVote.Subject.IMPLEMENTATION, opinion=opinion),
         _("The vote is open."))
    return redirect("console:supervision:topic_detail", opinion.topic_id)


def _opinion_or_404(user, pk) -> DeliberationOpinion:
    opinion = permissions.visible_opinions(user).select_related("topic__plan__body").filter(pk=pk).first()
    if opinion is None:
        raise Http404
    return opinion


@readers
@require_POST
def implementation_report(request, pk):
    """A unit officer reports on the opinion's implementation for the current round."""
    opinion = _opinion_or_404(request.user, pk)
    units = Unit.objects.filter(pk__in=opinion.recipients.values("unit_id")).filter(pk__in=unit_ids(request.user))
    form = ImplementationReportForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        data = form.cleaned_data
        run_service(request, lambda: services.implementation_report_submit(
            actor=request.user, opinion=opinion, unit=data["unit"], text=data["text"], upload=data["file"]),
            _("The implementation report was submitted."))
    else:
        messages.error(request, _("Write the implementation report and submit it again."))
    return redirect("console:supervision:topic_detail", opinion.topic_id)


@readers
@require_POST
def ledger_add(request, pk):
    """A new ledger line for the opinion's current round: the office, or a unit for itself."""
    opinion = _opinion_or_404(request.user, pk)
    units = Unit.objects.filter(pk__in=opinion.recipients.values("unit_id"))
    if not permissions.can_work_topic(request.user, opinion.topic):
        units = units.filter(pk__in=unit_ids(request.user))
    form = LedgerAddForm(request.POST, units=units)
    if form.is_valid():
        run_service(request, lambda: services.rectification_item_add(actor=request.user, opinion=opinion,
                                                              **form.cleaned_data),
             _("The ledger item was added."))
    else:
        messages.error(request, _("Describe the item, its owner unit and its due date."))
    return redirect("console:supervision:topic_detail", opinion.topic_id)


@staff_only
@require_POST
def activity_add(request, pk):
    topic = _topic_or_404(request.user, pk)
    if not permissions.can_work_topic(request.user, topic):
        raise Http404
    form = ActivityForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.activity_record(actor=request.user, topic=topic, **form.cleaned_data),
             _("The activity was recorded."))
    else:
        messages.error(request, _("Give the activity a kind, a title and a date."))
    return redirect("console:supervision:topic_detail", topic.pk)


@readers
@require_POST
def ledger_update(request, pk):
    item = selectors.ledger(request.user).select_related("opinion__topic").filter(pk=pk).first()
    if item is None:
        raise Http404
    form = LedgerUpdateForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.rectification_item_update(actor=request.user, item=item,
                                                                 **form.cleaned_data),
             _("The ledger item was updated."))
    else:
        messages.error(request, _("Choose a status."))
    if item.evaluation_id:
        return redirect("console:supervision:evaluation_detail", item.evaluation_id)
    topic_id = item.opinion.topic_id if item.opinion_id else None
    if topic_id is None:
        return redirect("console:supervision:topic_list")
    return redirect("console:supervision:topic_detail", topic_id)


urlpatterns = [
    path("proposals/", inbox, name="inbox"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal_detail"),
    path("plans/", plan_list, name="plan_list"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/<str:action>/", plan_act, name="plan_act"),
    path("plans/<int:plan_pk>/topics/new/", topic_form, name="topic_create"),
    path("plans/<int:plan_pk>/topics/<int:pk>/edit/", topic_form, name="topic_edit"),
    path("topics/", topic_list, name="topic_list"),
    path("topics/<int:pk>/", topic_detail, name="topic_detail"),
    path("topics/<int:pk>/report/", unit_report, name="topic_unit_report"),
    path("votes/<int:pk>/<str:action>/", vote_act, name="vote_act"),
    path("opinions/<int:pk>/vote/", opinion_vote_open, name="opinion_vote_open"),
    path("opinions/<int:pk>/ledger/", ledger_add, name="ledger_add"),
    path("opinions/<int:pk>/implementation-report/", implementation_report, name="implementation_report"),
    path("topics/<int:pk>/activities/", activity_add, name="activity_add"),
    path("ledger/<int:pk>/", ledger_update, name="ledger_update"),
]
