"""The deputy's own pages on the phone: duty record and score, profile, report an activity,
双联系 contacts, reports to voters. Every page works on one of the logged-in deputy's own mandates
(`?mandate=` picks among several); anything else is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.permissions import can_use_portal
from congress.rules import rules_for
from congress.uploads import serve_upload
from congress.views.support import error_text
from congress.workflow import WorkflowError
from deputies import selectors, services
from deputies import selectors_directory as directory
from deputies.forms_outreach import ContactLogForm, ProfileForm, RectificationForm, SelfReportForm
from deputies.models import ContactPair, Deputy, DutyActivity, VoterReport
from deputies.selectors_voter_reports import deputy_voter_reports

portal_only = access.require(can_use_portal)


def _mandate(request) -> Deputy:
    raw = request.GET.get("mandate") or request.POST.get("mandate")
    try:
        pk = int(raw) if raw else None
        return directory.my_mandate(request.user, pk)
    except (ValueError, Deputy.DoesNotExist):
        raise Http404 from None


def _with_mandate(name, deputy, *args) -> str:
    return f"{reverse(name, args=args)}?mandate={deputy.pk}"


def _base_context(request, deputy, **extra):
    return {"deputy": deputy, "mandates": list(directory.my_mandates(request.user)), **extra}




@portal_only
def record(request):
    """My duty record and score this year, against the congress's bands."""
    deputy = _mandate(request)
    year = selectors.current_year()
    rules = rules_for(deputy.body)
    score = selectors.deputy_score(deputy, year)
    return render(
        request,
        "portal/deputies/record.html",
        _base_context(
            request, deputy, year=year, score=score, good=rules.score_good_threshold, fair=rules.score_fair_threshold,
            participations=selectors.duty_record(deputy, year),
            pending=DutyActivity.objects.filter(
                participations__deputy=deputy, state__in=[DutyActivity.State.PENDING, DutyActivity.State.REJECTED],
                source=DutyActivity.Source.SELF_REPORTED,
            ).order_by("-date", "-pk"),
            progress=min(100, round(100 * score.score / max(rules.score_good_threshold, 1))),
        ),
    )


@portal_only
def profile(request):
    """My card: the public part editable, the private part read-only and masked."""
    deputy = _mandate(request)
    form = ProfileForm(request.POST or None, request.FILES or None, initial={"public_bio": deputy.public_bio})
    if request.method == "POST" and form.is_valid():
        changes = {"public_bio": form.cleaned_data["public_bio"]}
        if form.cleaned_data.get("photo"):
            changes["photo"] = form.cleaned_data["photo"]
        try:
            services.deputy_profile_update(actor=request.user, deputy=deputy, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your public profile was saved."))
            return redirect(_with_mandate("portal:deputies:profile", deputy))
    return render(request, "portal/deputies/profile.html", _base_context(request, deputy, form=form))


@portal_only
def own_photo(request):
    deputy = _mandate(request)
    return _image_response(deputy.photo)


def _image_response(field):
    return serve_upload(field, inline=True, images_only=True)


@portal_only
def activity_report(request):
    """Report an activity (with a photo); it counts once staff verify it."""
    deputy = _mandate(request)
    form = SelfReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_self_report(
                actor=request.user, deputy=deputy, kind=data["kind"], date=data["date"], title=data["title"],
                description=data["description"], place=data["place"], attachment=data.get("photo"),
            )
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            form.add_error(None, _("Only a serving deputy reports activities."))
        else:
            messages.success(request, _("Your activity was sent for verification."))
            return redirect(_with_mandate("portal:deputies:record", deputy))
    return render(request, "portal/deputies/activity_form.html", _base_context(request, deputy, form=form))


@portal_only
def activity_photo(request, pk):
    try:
        activity = directory.my_reported_activity(request.user, pk)
    except DutyActivity.DoesNotExist:
        raise Http404 from None
    return _image_response(activity.attachment)


@portal_only
def contacts(request):
    """My 双联系 pairs of this year and their logs; log a contact."""
    deputy = _mandate(request)
    year = selectors.current_year()
    pairs = list(directory.my_contact_pairs(deputy, year))
    return render(
        request,
        "portal/deputies/contacts.html",
        _base_context(request, deputy, year=year, pairs=pairs, form=ContactLogForm()),
    )


@portal_only
@require_POST
def contact_log(request, pk):
    deputy = _mandate(request)
    try:
        pair = directory.my_contact_pair(deputy, pk)
    except ContactPair.DoesNotExist:
        raise Http404 from None
    form = ContactLogForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log_create(actor=request.user, pair=pair, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error) if isinstance(error, ValidationError) else _("Not allowed."))
        else:
            messages.success(request, _("The contact was logged."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_with_mandate("portal:deputies:contacts", deputy))


@portal_only
def voter_reports(request):
    """My reports to voters with their results; write the rectification plan when one is required."""
    deputy = _mandate(request)
    reports = list(deputy_voter_reports(deputy))
    return render(
        request,
        "portal/deputies/voter_reports.html",
        _base_context(request, deputy, reports=reports, form=RectificationForm(), State=VoterReport.State),
    )


@portal_only
@require_POST
def voter_report_rectification(request, pk):
    deputy = _mandate(request)
    try:
        report = VoterReport.objects.select_related("deputy", "body__region").get(pk=pk, deputy=deputy)
    except VoterReport.DoesNotExist:
        raise Http404 from None
    form = RectificationForm(request.POST)
    plan = form.cleaned_data["plan"] if form.is_valid() else ""
    try:
        services.voter_report_submit_rectification(actor=request.user, report=report, plan=plan)
    except (ValidationError, WorkflowError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your rectification plan was submitted."))
    return redirect(_with_mandate("portal:deputies:voter_reports", deputy))


urlpatterns = [
    path("", record, name="record"),
    path("profile/", profile, name="profile"),
    path("profile/photo/", own_photo, name="own_photo"),
    path("activities/new/", activity_report, name="activity_report"),
    path("activities/<int:pk>/photo/", activity_photo, name="activity_photo"),
    path("contacts/", contacts, name="contacts"),
    path("contacts/<int:pk>/log/", contact_log, name="contact_log"),
    path("voter-reports/", voter_reports, name="voter_reports"),
    path("voter-reports/<int:pk>/rectification/", voter_report_rectification, name="voter_report_rectification"),
]
