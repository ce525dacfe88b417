"""Console pages of reports to voters (述职评议): the per-term planner with its warning list, and
one report's page (meeting, questions, ballot slips, paper tallies, the live tally polled by htmx
every 5 seconds, closing the ballot, the rectification plan) with its timeline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.models import Body, Event, Region, Term
from congress.permissions import visible_bodies
from congress.uploads import serve_upload
from congress.views.support import error_text, run_service
from congress.workflow import WorkflowError
from deputies import permissions, services
from deputies import selectors_voter_reports as selectors
from deputies.forms_outreach import (
    MeetingForm,
    NoteForm,
    PaperTallyForm,
    QuestionForm,
    RectificationForm,
    SlipsForm,
    VoterReportPlanForm,
)
from deputies.models import Deputy, VoterReport

outreach = access.require(permissions.can_use_outreach_console)
State = VoterReport.State




def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _manageable_bodies(user) -> list[Body]:
    return [body for body in visible_bodies(user) if permissions.can_manage_voter_reports(user, body)]


@outreach
def voter_report_plan(request):
    """The plan of one congress's current term: its reports and the deputies not yet scheduled."""
    bodies = _manageable_bodies(request.user)
    if not bodies:
        raise PermissionDenied
    try:
        body = next(body for body in bodies if str(body.pk) == request.GET.get("body", ""))
    except StopIteration:
        body = bodies[0]
    term = Term.objects.filter(body=body, is_current=True).first()
    deputies = list(Deputy.objects.filter(body=body, term=term, status=Deputy.Status.SERVING).order_by("name", "pk"))
    regions = Region.objects.filter(path__startswith=body.region.path).order_by("path")
    form = VoterReportPlanForm(request.POST or None, deputies=deputies, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.voter_report_plan(
                actor=request.user, deputy=form.deputies[form.cleaned_data["deputy"]],
                scheduled_on=form.cleaned_data["scheduled_on"], place=form.cleaned_data["place"],
                region=form.cleaned_data["region"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report to voters is planned."))
            return redirect("console:deputies:voter_report_detail", report.pk)
    reports = selectors.voter_reports_for(request.user, body=body, term=term) if term else VoterReport.objects.none()
    return render(
        request,
        "console/deputies/voter_report/plan.html",
        {
            "bodies": bodies,
            "body": body,
            "term": term,
            "reports": reports,
            "not_scheduled": list(selectors.deputies_not_scheduled(body, term)) if term else [],
            "form": form,
        },
    )


def _report(request, pk) -> VoterReport:
    try:
        return selectors.voter_report_get(request.user, pk)
    except VoterReport.DoesNotExist:
        raise Http404 from None


def _detail_context(request, report, **extra):
    can_manage = permissions.can_manage_voter_reports(request.user, report.body)
    context = {
        "report": report,
        "can_manage": can_manage,
        "tally": selectors.voter_report_tally(report),
        "questions": report.questions.all(),
        "paper_tallies": report.paper_tallies.select_related("entered_by"),
        "events": Event.objects.for_object(report).select_related("actor").order_by("-created_at", "-pk"),
        "State": State,
    }
    if can_manage:
        context.update(
            meeting_form=MeetingForm(initial={"held_on": report.scheduled_on}),
            question_form=QuestionForm(),
            slips_form=SlipsForm(),
            paper_form=PaperTallyForm(),
            rectification_form=RectificationForm(),
            cancel_form=NoteForm(),
        )
    context.update(extra)
    return context


@outreach
def voter_report_detail(request, pk):
    report = _report(request, pk)
    return render(request, "console/deputies/voter_report/detail.html", _detail_context(request, report))


@outreach
def voter_report_tally(request, pk):
    """The live tally fragment, polled by htmx every 5 seconds while the ballot is open."""
    report = _report(request, pk)
    return render(
        request, "console/deputies/voter_report/_tally.html",
        {"report": report, "tally": selectors.voter_report_tally(report), "State": State},
    )


def _back(report):
    return redirect("console:deputies:voter_report_detail", report.pk)




@outreach
@require_POST
def voter_report_meeting(request, pk):
    report = _report(request, pk)
    form = MeetingForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "console/deputies/voter_report/detail.html",
            _detail_context(request, report, meeting_form=form), status=400,
        )
    data = form.cleaned_data
    try:
        services.voter_report_record_meeting(
            actor=request.user, report=report, held_on=data["held_on"],
            representatives_present=data["representatives_present"], report_text=data["report_text"],
            attachment=data["attachment"],
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return render(
            request, "console/deputies/voter_report/detail.html",
            _detail_context(request, report, meeting_form=form), status=400,
        )
    except WorkflowError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The meeting is recorded; the ballot is open."))
    return _back(report)


@outreach
@require_POST
def voter_report_cancel(request, pk):
    report = _report(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(request, lambda: services.voter_report_cancel(actor=request.user, report=report, reason=note),
         _("The report was cancelled."))
    return _back(report)


@outreach
@require_POST
def voter_report_question(request, pk):
    report = _report(request, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(report)
    run_service(request, lambda: services.voter_report_question_add(actor=request.user, report=report,
        **form.cleaned_data),
         _("The question was recorded."))
    return _back(report)


@outreach
@require_POST
def voter_report_slips(request, pk):
    """Generate ballot slips and show their links this once, as a printable page."""
    report = _report(request, pk)
    form = SlipsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(report)
    try:
        tokens = services.ballot_slips_generate(actor=request.user, report=report, count=form.cleaned_data["count"])
    except (ValidationError, WorkflowError) as error:
        messages.error(request, error_text(error))
        return _back(report)
    slips = [
        (serial, request.build_absolute_uri(reverse("public:deputies:ballot", args=[token])))
        for serial, token in tokens
    ]
    response = render(request, "console/deputies/voter_report/slips.html", {"report": report, "slips": slips})
    response["Cache-Control"] = "no-store"
    return response


@outreach
@require_POST
def voter_report_paper_tally(request, pk):
    report = _report(request, pk)
    form = PaperTallyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(report)
    run_service(request, lambda: services.paper_tally_add(actor=request.user, report=report, **form.cleaned_data),
         _("The paper tally was added."))
    return _back(report)


@outreach
@require_POST
def voter_report_close(request, pk):
    report = _report(request, pk)
    run_service(request, lambda: services.voter_report_close_ballot(actor=request.user, report=report),
         _("The ballot is closed."))
    return _back(report)


@outreach
@require_POST
def voter_report_rectification(request, pk):
    report = _report(request, pk)
    form = RectificationForm(request.POST)
    plan = form.cleaned_data["plan"] if form.is_valid() else ""
    run_service(request, lambda: services.voter_report_submit_rectification(actor=request.user, report=report,
        plan=plan),
         _("The rectification plan was recorded."))
    return _back(report)


@outreach
def voter_report_attachment(request, pk):
    report = _report(request, pk)
    return serve_upload(report.attachment, inline=True)


urlpatterns = [
    path("voter-reports/", voter_report_plan, name="voter_report_plan"),
    path("voter-reports/<int:pk>/", voter_report_detail, name="voter_report_detail"),
    path("voter-reports/<int:pk>/tally/", voter_report_tally, name="voter_report_tally"),
    path("voter-reports/<int:pk>/meeting/", voter_report_meeting, name="voter_report_meeting"),
    path("voter-reports/<int:pk>/cancel/", voter_report_cancel, name="voter_report_cancel"),
    path("voter-reports/<int:pk>/questions/", voter_report_question, name="voter_report_question"),
    path("voter-reports/<int:pk>/slips/", voter_report_slips, name="voter_report_slips"),
    path("voter-reports/<int:pk>/paper-tallies/", voter_report_paper_tally, name="voter_report_paper_tally"),
    path("voter-reports/<int:pk>/close/", voter_report_close, name="voter_report_close"),
    path("voter-reports/<int:pk>/rectification/", voter_report_rectification, name="voter_report_rectification"),
    path("voter-reports/<int:pk>/attachment/", voter_report_attachment, name="voter_report_attachment"),
]
