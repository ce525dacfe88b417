"""Console pages of the roster and the duty record, mounted at /console/deputies/.

The roster with its filters and Excel import/export, a deputy's detail (duty timeline, score
breakdown, masked ID and phone with a logged unmask), create/edit/end a mandate, activity entry
with attendance, the verification queue of self-reported activities, the score-rules editor,
theme years and the 双联系 board. Every list comes from a scoped selector; every write goes
through `deputies.services` (or `deputies.imports`/`deputies.exports` for files).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.models import Body, Event
from congress.permissions import visible_bodies
from congress.rules import rules_for
from congress.uploads import serve_upload
from congress.views.support import apply_validation_error
from deputies import exports, forms, imports, permissions, selectors, services
from deputies.models import ContactPair, Deputy, DutyActivity, DutyParticipation, RosterJob

read = access.require(permissions.can_read_roster)
keep = access.require(permissions.can_keep_roster)
export = access.require(permissions.can_export_roster)




def _manageable_bodies(user):
    bodies = visible_bodies(user).order_by("level", "name")
    return [body for body in bodies if permissions.can_manage_deputies(user, body)]


def _body_from(request, bodies) -> Body | None:
    """The congress chosen in `?body=`, or the only one there is; None when the user must choose."""
    try:
        wanted = int(request.GET.get("body") or request.POST.get("body") or 0)
    except ValueError:
        wanted = 0
    for body in bodies:
        if body.pk == wanted:
            return body
    return bodies[0] if len(bodies) == 1 else None


# ---- roster -----------------------------------------------------------------------------------


@read
def roster(request):
    form = forms.RosterFilterForm(request.GET, user=request.user)
    deputies = form.filter(selectors.deputy_list(request.user, status=None)).order_by("body__level", "name", "pk")
    page_obj = Paginator(deputies, form.page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "console/deputies/roster.html",
        {
            "form": form,
            "page_obj": page_obj,
            "can_keep": permissions.can_keep_roster(request.user),
            "can_export": permissions.can_export_roster(request.user),
            "export_form": forms.ExportForm(),
            "filter_params": form.params(),
        },
    )


@read
def deputy_detail(request, pk):
    return _detail_page(request, _get_deputy(request, pk))


def _detail_page(request, deputy: Deputy, unmasked=None):
    year = forms.year_from(request.GET.get("year"))
    pairs = (
        ContactPair.objects.filter(Q(member=deputy) | Q(deputy=deputy), year=year)
        .select_related("member", "deputy")
        .annotate(contacts=Count("logs"))
    )
    return render(
        request,
        "console/deputies/deputy_detail.html",
        {
            "deputy": deputy,
            "year": year,
            "years": range(forms.current_year(), forms.current_year() - 6, -1),
            "score": selectors.deputy_score(deputy, year),
            "participations": selectors.duty_record(deputy, year),
            "events": Event.objects.for_object(deputy).select_related("actor").order_by("-created_at", "-pk"),
            "pairs": pairs,
            "can_manage": permissions.can_manage_deputy(request.user, deputy),
            "can_unmask": permissions.can_unmask(request.user, deputy),
            "end_form": forms.EndMandateForm(),
            "unmasked": unmasked or {},
        },
    )


def _get_deputy(request, pk) -> Deputy:
    try:
        return selectors.deputy_get(request.user, pk)
    except Deputy.DoesNotExist as error:
        raise Http404 from error


def _deputy_form(request, deputy: Deputy | None):
    form = forms.DeputyForm(request.POST or None, instance=deputy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if deputy is None:
                saved = services.deputy_create(
                    actor=request.user, body=form.cleaned_data["body"], term=form.cleaned_data["term"],
                    **form.changes(),
                )
            else:
                saved = services.deputy_update(actor=request.user, deputy=deputy, **form.changes())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Deputy “%(name)s” saved.") % {"name": saved.name})
            return redirect("console:deputies:deputy_detail", pk=saved.pk)
    return render(request, "console/deputies/deputy_form.html", {"form": form, "deputy": deputy})


@keep
def deputy_create(request):
    return _deputy_form(request, None)


@keep
def deputy_edit(request, pk):
    deputy = _get_deputy(request, pk)
    if not permissions.can_manage_deputy(request.user, deputy):
        raise PermissionDenied
    return _deputy_form(request, deputy)


@keep
@require_POST
def deputy_end_mandate(request, pk):
    deputy = _get_deputy(request, pk)
    form = forms.EndMandateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how and when the mandate ended, and give a reason."))
        return redirect("console:deputies:deputy_detail", pk=pk)
    try:
        services.deputy_end_mandate(actor=request.user, deputy=deputy, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mandate of %(name)s has ended.") % {"name": deputy.name})
    return redirect("console:deputies:deputy_detail", pk=pk)


@read
@require_POST
def deputy_unmask(request, pk):
    """Show a deputy's full ID number or phone to someone allowed, for a logged reason (S18)."""
    deputy = _get_deputy(request, pk)
    form = forms.UnmaskForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "console/deputies/_unmask_error.html", {"form": form}, status=400)
        messages.error(request, _("Give a reason to see the full value."))
        return redirect("console:deputies:deputy_detail", pk=pk)
    field = form.cleaned_data["field"]
    value = services.deputy_unmask(
        actor=request.user, deputy=deputy, field=field, reason=form.cleaned_data["reason"], request=request
    )
    if request.htmx:
        return render(request, "console/deputies/_unmasked.html", {"value": value, "field": field})
    return _detail_page(request, deputy, unmasked={field: value})


# ---- duty activities ----------------------------------------------------------------------------


@keep
def activity_create(request):
    bodies = _manageable_bodies(request.user)
    body = _body_from(request, bodies)
    if body is None:
        return render(request, "console/deputies/choose_body.html", {"bodies": bodies, "next": "activity_create"})
    form = forms.ActivityForm(request.POST or None, user=request.user, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                actor=request.user, body=body, kind=data["kind"], date=data["date"], title=data["title"],
                participants=data["participants"], description=data["description"], place=data["place"],
                theme_year=data["theme_year"], session=data["session"], points_override=data["points_override"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Activity “%(title)s” recorded.") % {"title": activity.title})
            return redirect("console:deputies:activity_detail", pk=activity.pk)
    return render(request, "console/deputies/activity_form.html", {"form": form, "body": body})


def _get_activity(request, pk) -> DutyActivity:
    activity = (
        permissions.visible_activities(request.user)
        .select_related("body__region", "theme_year", "reported_by", "verified_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


@read
def activity_detail(request, pk):
    activity = _get_activity(request, pk)
    participations = (
        DutyParticipation.objects.filter(activity=activity, deputy__in=permissions.visible_deputies(request.user))
        .select_related("deputy")
        .order_by("deputy__name", "pk")
    )
    return render(
        request,
        "console/deputies/activity_detail.html",
        {
            "activity": activity,
            "participations": participations,
            "attendance_choices": DutyParticipation.Attendance.choices,
            "can_manage": permissions.can_manage_deputies(request.user, activity.body),
            "events": Event.objects.for_object(activity).select_related("actor").order_by("created_at", "pk"),
        },
    )


@keep
@require_POST
def participation_attendance(request, pk):
    participation = get_object_or_404(
        DutyParticipation.objects.filter(deputy__in=permissions.manageable_deputies(request.user)), pk=pk
    )
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        services.participation_set_attendance(actor=request.user, participation=participation, **form.cleaned_data)
        messages.success(request, _("Attendance saved."))
    else:
        messages.error(request, _("Choose an attendance."))
    return redirect("console:deputies:activity_detail", pk=participation.activity_id)


@keep
def verification_queue(request):
    queue = selectors.verification_queue(request.user)
    page_obj = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "console/deputies/verification_queue.html", {"page_obj": page_obj})


def _queue_item(request, pk) -> DutyActivity:
    activity = selectors.verification_queue(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def _after_verification(request, activity, message):
    if request.htmx:
        # The handled row replaces itself; the fragment reads only what is already loaded.
        return render(request, "console/deputies/_queue_row.html", {"activity": activity, "handled": True})
    messages.success(request, message)
    return redirect("console:deputies:verification_queue")


@keep
@require_POST
def activity_verify(request, pk):
    activity = _queue_item(request, pk)
    services.activity_verify(actor=request.user, activity=activity)
    return _after_verification(request, activity, _("Activity verified."))


@keep
@require_POST
def activity_reject(request, pk):
    activity = _queue_item(request, pk)
    form = forms.RejectForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(
                request, "console/deputies/_queue_row.html", {"activity": activity, "reject_error": True}, status=400
            )
        messages.error(request, _("Give a reason for rejecting the report."))
        return redirect("console:deputies:verification_queue")
    services.activity_reject(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
    return _after_verification(request, activity, _("Activity rejected."))


# ---- score rules and theme years ------------------------------------------------------------------


@read
def score_rules(request):
    bodies = list(visible_bodies(request.user).order_by("level", "name"))
    body = _body_from(request, bodies)
    if body is None:
        return render(request, "console/deputies/choose_body.html", {"bodies": bodies, "next": "score_rules"})
    can_edit = permissions.can_manage_score_rules(request.user, body)
    form = forms.ScoreRulesForm(
        request.POST if request.method == "POST" else None, rules=selectors.score_rules(body)
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                for kind, points, cap in form.rules():
                    services.score_rule_set(actor=request.user, body=body, kind=kind, points=points, yearly_cap=cap)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Score rules saved; scores follow at once."))
                return redirect(f"{reverse('console:deputies:score_rules')}?body={body.pk}")
    return render(
        request,
        "console/deputies/score_rules.html",
        {"form": form, "body": body, "bodies": bodies, "can_edit": can_edit},
    )


@read
def theme_years(request):
    from deputies.models import ThemeYear

    bodies = list(visible_bodies(request.user).order_by("level", "name"))
    body = _body_from(request, bodies)
    if body is None:
        return render(request, "console/deputies/choose_body.html", {"bodies": bodies, "next": "theme_years"})
    can_edit = permissions.can_manage_deputies(request.user, body)
    form = forms.ThemeYearForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.theme_year_create(actor=request.user, body=body, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Theme year saved."))
                return redirect(f"{reverse('console:deputies:theme_years')}?body={body.pk}")
    return render(
        request,
        "console/deputies/theme_years.html",
        {
            "form": form, "body": body, "bodies": bodies, "can_edit": can_edit,
            "themes": ThemeYear.objects.filter(body=body).order_by("-year", "name"),
        },
    )


# ---- 双联系 --------------------------------------------------------------------------------------


@read
def contact_board(request):
    bodies = list(visible_bodies(request.user).order_by("level", "name"))
    body = _body_from(request, bodies)
    if body is None:
        return render(request, "console/deputies/choose_body.html", {"bodies": bodies, "next": "contact_board"})
    year = forms.year_from(request.GET.get("year"))
    return _contact_board_page(request, body, bodies, year, forms.ContactPairForm(user=request.user, body=body))


def _contact_board_page(request, body, bodies, year, pair_form, status=200):
    visible = permissions.visible_deputies(request.user).values("pk")
    pairs = (
        ContactPair.objects.filter(body=body, year=year, deputy__in=visible)
        .select_related("member", "deputy")
        .annotate(contacts=Count("logs"))
        .order_by("member__name", "deputy__name", "pk")
    )
    minimum = rules_for(body).contact_pair_yearly_minimum
    below = selectors.contact_pairs_below_minimum(year).filter(body=body, deputy__in=visible)
    return render(
        request,
        "console/deputies/contact_board.html",
        {
            "body": body, "bodies": bodies, "year": year,
            "years": range(forms.current_year() + 1, forms.current_year() - 5, -1),
            "pairs": pairs, "below": below, "minimum": minimum,
            "pair_form": pair_form, "log_form": forms.ContactLogForm(),
            "can_edit": permissions.can_manage_deputies(request.user, body),
        },
        status=status,
    )


@keep
@require_POST
def contact_pair_create(request):
    bodies = _manageable_bodies(request.user)
    body = _body_from(request, bodies)
    if body is None:
        raise Http404
    year = forms.year_from(request.POST.get("year"))
    form = forms.ContactPairForm(request.POST, user=request.user, body=body)
    if form.is_valid():
        try:
            services.contact_pair_create(actor=request.user, body=body, year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Contact pair added."))
            return redirect(f"{reverse('console:deputies:contact_board')}?body={body.pk}&year={year}")
    return _contact_board_page(request, body, bodies, year, form, status=400)


@keep
@require_POST
def contact_log_create(request, pk):
    visible = permissions.visible_deputies(request.user).values("pk")
    pairs = ContactPair.objects.filter(deputy__in=visible).select_related("member", "deputy", "body")
    pair = get_object_or_404(pairs, pk=pk)
    form = forms.ContactLogForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log_create(actor=request.user, pair=pair, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Contact logged."))
    else:
        messages.error(request, _("Give the date, channel and content of the contact."))
    return redirect(f"{reverse('console:deputies:contact_board')}?body={pair.body_id}&year={pair.year}")


# ---- import and export ----------------------------------------------------------------------------


@keep
def roster_import(request):
    form = forms.RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(
                actor=request.user, term=form.cleaned_data["term"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("console:deputies:job_detail", pk=job.pk)
    return render(
        request,
        "console/deputies/roster_import.html",
        {"form": form, "columns": imports.COLUMNS, "limit": imports.inline_limit()},
    )


@keep
def import_template(request):
    response = HttpResponse(exports.template_workbook(), content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="deputies-template.xlsx"'
    return response


@export
@require_POST
def roster_export(request):
    """Export the roster as filtered on the list page: inline when small, a Celery job when large."""
    form = forms.ExportForm(request.POST)
    filters = forms.RosterFilterForm(request.POST, user=request.user)
    params = filters.params()
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(f"{reverse('console:deputies:roster')}?{request.POST.urlencode()}")
    unmask, reason = form.cleaned_data["unmask"], form.cleaned_data["reason"]
    total = exports.roster_queryset(request.user, params).count()
    if exports.runs_inline(total):
        content, _rows = exports.export_inline(
            user=request.user, params=params, unmask=unmask, reason=reason, request=request
        )
        response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename()}"'
        return response
    job = exports.start_export(user=request.user, params=params, unmask=unmask, reason=reason, total=total)
    return redirect("console:deputies:job_detail", pk=job.pk)


def _own_job(request, pk) -> RosterJob:
    # A job, its upload and its result belong to the person who started it; others get a 404.
    return get_object_or_404(RosterJob.objects.select_related("body", "term__body"), pk=pk, created_by=request.user)


@read
def job_detail(request, pk):
    return render(request, "console/deputies/job_detail.html", {"job": _own_job(request, pk)})


@read
def job_progress(request, pk):
    """The htmx fragment the job page polls every 2 s until the job has finished."""
    return render(request, "console/deputies/_job_progress.html", {"job": _own_job(request, pk)})


@read
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.kind != RosterJob.Kind.EXPORT or job.state != RosterJob.State.DONE or not job.result_file:
        raise Http404
    if not permissions.can_export_roster(request.user):
        raise PermissionDenied
    return serve_upload(job.result_file)


urlpatterns = [
    path("", roster, name="roster"),
    path("new/", deputy_create, name="deputy_create"),
    path("<int:pk>/", deputy_detail, name="deputy_detail"),
    path("<int:pk>/edit/", deputy_edit, name="deputy_edit"),
    path("<int:pk>/end/", deputy_end_mandate, name="deputy_end_mandate"),
    path("<int:pk>/unmask/", deputy_unmask, name="deputy_unmask"),
    path("activities/new/", activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_detail, name="activity_detail"),
    path("activities/<int:pk>/verify/", activity_verify, name="activity_verify"),
    path("activities/<int:pk>/reject/", activity_reject, name="activity_reject"),
    path("participations/<int:pk>/attendance/", participation_attendance, name="participation_attendance"),
    path("verification/", verification_queue, name="verification_queue"),
    path("score-rules/", score_rules, name="score_rules"),
    path("theme-years/", theme_years, name="theme_years"),
    path("contacts/", contact_board, name="contact_board"),
    path("contacts/pairs/new/", contact_pair_create, name="contact_pair_create"),
    path("contacts/pairs/<int:pk>/log/", contact_log_create, name="contact_log_create"),
    path("import/", roster_import, name="roster_import"),
    path("import/template/", import_template, name="import_template"),
    path("export/", roster_export, name="roster_export"),
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", job_download, name="job_download"),
]
