"""The institution's console pages: dashboard, regions, bodies with terms and sessions,
committees, units, users and their roles, rules, and the working-day calendar.

Everyone who may use the console reads these lists, each scoped by `congress.permissions`;
only staff admins (and system admins) write, always through `congress.services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access, forms, permissions, security_log, selectors, services, two_factor
from congress.models import Body, Committee, Region, Session, Term, Unit
from congress.models.accounts import Role
from congress.views.support import apply_validation_error, choice, int_param, page

read = access.require(permissions.can_use_console)
manage_institution = access.require(permissions.can_manage_institution)
manage_users = access.require(permissions.can_manage_users)


def _save_record(request, form, success):
    """Save a reference-data form through the service; returns a redirect or None on errors."""
    try:
        instance = services.record_save(actor=request.user, form=form)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    messages.success(request, success % {"name": instance})
    return instance


# ---- dashboard ------------------------------------------------------------------------------


@read
def home(request):
    return render(
        request,
        "console/congress/home.html",
        {
            "counts": selectors.dashboard_counts(request.user),
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


# ---- regions --------------------------------------------------------------------------------


@read
def region_list(request):
    kind = choice(request, "kind", Region.Kind.choices)
    parent_id = int_param(request, "parent")
    parent = selectors.region_get(request.user, parent_id) if parent_id else None
    regions = selectors.region_list(request.user, kind=kind, parent=parent)
    return render(
        request,
        "console/congress/region_list.html",
        {
            "page_obj": page(request, regions, per_page=50),
            "kinds": Region.Kind.choices,
            "kind": kind,
            "parent": parent,
            "township_parents": selectors.region_list(request.user).filter(
                kind__in=[Region.Kind.DISTRICT, Region.Kind.TOWN, Region.Kind.STREET]
            ),
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


def _region_form(request, region: Region | None):
    form = forms.RegionForm(request.POST or None, instance=region, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.region_save(actor=request.user, region=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Region “%(name)s” saved.") % {"name": saved})
            return redirect("console:regions")
    return render(request, "console/congress/region_form.html", {"form": form, "region": region})


@manage_institution
def region_create(request):
    return _region_form(request, None)


@manage_institution
def region_edit(request, pk):
    return _region_form(request, selectors.region_get(request.user, pk))


# ---- bodies, terms, sessions ----------------------------------------------------------------


@read
def body_list(request):
    level = choice(request, "level", Body.Level.choices)
    return render(
        request,
        "console/congress/body_list.html",
        {
            "page_obj": page(request, selectors.body_list(request.user, level=level)),
            "levels": Body.Level.choices,
            "level": level,
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


@read
def body_detail(request, pk):
    return render(
        request,
        "console/congress/body_detail.html",
        {
            "body": selectors.body_detail(request.user, pk),
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


def _body_form(request, body: Body | None):
    form = forms.BodyForm(request.POST or None, instance=body, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_record(request, form, _("Congress “%(name)s” saved."))
        if saved:
            return redirect("console:body_detail", pk=saved.pk)
    return render(request, "console/congress/body_form.html", {"form": form, "body": body})


@manage_institution
def body_create(request):
    return _body_form(request, None)


@manage_institution
def body_edit(request, pk):
    return _body_form(request, selectors.body_get(request.user, pk))


def _term_form(request, body: Body, term: Term | None):
    form = forms.TermForm(request.POST or None, instance=term, body=body)
    if request.method == "POST" and form.is_valid():
        saved = _save_record(request, form, _("Term “%(name)s” saved."))
        if saved:
            return redirect("console:body_detail", pk=body.pk)
    return render(request, "console/congress/term_form.html", {"form": form, "body": body, "term": term})


@manage_institution
def term_create(request, body_pk):
    return _term_form(request, selectors.body_get(request.user, body_pk), None)


@manage_institution
def term_edit(request, pk):
    term = selectors.term_get(request.user, pk)
    return _term_form(request, term.body, term)


def _session_form(request, term: Term, session: Session | None):
    form = forms.SessionForm(request.POST or None, instance=session, term=term)
    if request.method == "POST" and form.is_valid():
        saved = _save_record(request, form, _("Meeting “%(name)s” saved."))
        if saved:
            return redirect("console:body_detail", pk=term.body_id)
    return render(
        request, "console/congress/session_form.html", {"form": form, "term": term, "session": session}
    )


@manage_institution
def session_create(request, term_pk):
    return _session_form(request, selectors.term_get(request.user, term_pk), None)


@manage_institution
def session_edit(request, pk):
    session = selectors.session_get(request.user, pk)
    return _session_form(request, session.term, session)


# ---- committees -----------------------------------------------------------------------------


@read
def committee_list(request):
    kind = choice(request, "kind", Committee.Kind.choices)
    body_id = int_param(request, "body")
    body = selectors.body_get(request.user, body_id) if body_id else None
    return render(
        request,
        "console/congress/committee_list.html",
        {
            "page_obj": page(request, selectors.committee_list(request.user, body=body, kind=kind)),
            "kinds": Committee.Kind.choices,
            "kind": kind,
            "bodies": permissions.visible_bodies(request.user),
            "body": body,
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


def _committee_form(request, committee: Committee | None):
    form = forms.CommitteeForm(request.POST or None, instance=committee, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_record(request, form, _("Committee “%(name)s” saved.")):
        return redirect("console:committees")
    return render(request, "console/congress/committee_form.html", {"form": form, "committee": committee})


@manage_institution
def committee_create(request):
    return _committee_form(request, None)


@manage_institution
def committee_edit(request, pk):
    return _committee_form(request, selectors.committee_get(request.user, pk))


# ---- units ----------------------------------------------------------------------------------


@read
def unit_list(request):
    kind = choice(request, "kind", Unit.Kind.choices)
    region_id = int_param(request, "region")
    region = selectors.region_get(request.user, region_id) if region_id else None
    return render(
        request,
        "console/congress/unit_list.html",
        {
            "page_obj": page(request, selectors.unit_list(request.user, kind=kind, region=region)),
            "kinds": Unit.Kind.choices,
            "kind": kind,
            "regions": selectors.region_list(request.user).exclude(
                kind__in=[Region.Kind.VILLAGE, Region.Kind.COMMUNITY]
            ),
            "region": region,
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


def _unit_form(request, unit: Unit | None):
    form = forms.UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_record(request, form, _("Unit “%(name)s” saved.")):
        return redirect("console:units")
    return render(request, "console/congress/unit_form.html", {"form": form, "unit": unit})


@manage_institution
def unit_create(request):
    return _unit_form(request, None)


@manage_institution
def unit_edit(request, pk):
    return _unit_form(request, selectors.unit_get(request.user, pk))


# ---- users and role grants ------------------------------------------------------------------


@manage_users
def user_list(request):
    role = choice(request, "role", Role.choices)
    status = choice(request, "status", [("active", ""), ("inactive", "")])
    query = request.GET.get("q", "").strip()[:100]
    users = selectors.user_list(
        request.user, query=query, role=role, active={"active": True, "inactive": False}.get(status)
    )
    return render(
        request,
        "console/congress/user_list.html",
        {"page_obj": page(request, users), "roles": Role.choices, "role": role, "status": status, "q": query},
    )


@manage_users
def user_create(request):
    form = forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, password = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            # The random first password is shown once, on this response only, and never stored
            # in the clear; the user must change it at first login (SECURITY S9).
            return render(
                request, "console/congress/user_created.html", {"created_user": created, "password": password}
            )
    return render(request, "console/congress/user_form.html", {"form": form, "edited_user": None})


@manage_users
def user_detail(request, pk):
    person = selectors.user_detail(request.user, pk)
    return render(
        request,
        "console/congress/user_detail.html",
        {
            "person": person,
            "grant_form": forms.RoleGrantForm(user=request.user),
            "deactivate_form": forms.UserDeactivateForm(),
            "role_scopes": permissions.ROLE_SCOPES,
        },
    )


@manage_users
def user_edit(request, pk):
    person = selectors.user_detail(request.user, pk)
    form = forms.UserEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid() and _save_record(request, form, _("User “%(name)s” saved.")):
        return redirect("console:user_detail", pk=person.pk)
    return render(request, "console/congress/user_form.html", {"form": form, "edited_user": person})


@manage_users
@require_POST
def grant_create(request, pk):
    person = selectors.user_detail(request.user, pk)
    form = forms.RoleGrantForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            grant = services.role_grant(
                actor=request.user, user=person, role=form.cleaned_data["role"], **form.scope()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Granted: %(grant)s.") % {"grant": grant})
            return redirect("console:user_detail", pk=person.pk)
    return render(
        request,
        "console/congress/user_detail.html",
        {
            "person": person,
            "grant_form": form,
            "deactivate_form": forms.UserDeactivateForm(),
            "role_scopes": permissions.ROLE_SCOPES,
        },
        status=400,
    )


@manage_users
@require_POST
def grant_revoke(request, pk):
    grant = selectors.grant_get(request.user, pk)
    # Keep the preloaded scope objects: the service reloads its copy, which drops them.
    grant.revoked_at = services.role_revoke(actor=request.user, grant=grant).revoked_at
    if request.htmx:
        # The revoked row replaces itself in the grants table; the fragment runs no query.
        return render(request, "console/congress/_grant_row.html", {"grant": grant})
    messages.success(request, _("Revoked: %(grant)s.") % {"grant": grant})
    return redirect("console:user_detail", pk=grant.user_id)


@manage_users
@require_POST
def user_deactivate(request, pk):
    person = selectors.user_detail(request.user, pk)
    form = forms.UserDeactivateForm(request.POST)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
    elif form.is_valid():
        services.user_deactivate(actor=request.user, user=person, reason=form.cleaned_data["reason"])
        messages.success(request, _("User “%(name)s” deactivated.") % {"name": person})
    else:
        messages.error(request, _("Give a reason for deactivating the account."))
    return redirect("console:user_detail", pk=person.pk)


@manage_users
@require_POST
def user_second_factor_reset(request, pk):
    person = selectors.user_detail(request.user, pk)
    if person.pk == request.user.pk:
        messages.error(request, _("Ask another administrator to reset your own two-step login."))
    else:
        two_factor.second_factor_reset(actor=request.user, user=person)
        security_log.log("second_factor_reset", request=request, username=person.get_username())
        messages.success(request, _("Two-step login of “%(name)s” reset.") % {"name": person})
    return redirect("console:user_detail", pk=person.pk)


# ---- rules ----------------------------------------------------------------------------------


@read
def rules_list(request):
    return render(
        request,
        "console/congress/rules_list.html",
        {
            "page_obj": page(request, selectors.rules_list(request.user)),
            "can_manage": permissions.can_manage_institution(request.user),
        },
    )


@manage_institution
def rules_edit(request, body_pk):
    rules = selectors.rules_get(request.user, body_pk)
    form = forms.BodyRulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid() and _save_record(request, form, _("%(name)s saved.")):
        return redirect("console:rules")
    return render(request, "console/congress/rules_form.html", {"form": form, "rules": rules})


# ---- working-day calendar -------------------------------------------------------------------


@read
def calendar_list(request):
    year = int_param(request, "year")
    if year is None or not 1950 <= year <= 2100:
        year = timezone.localdate().year
    return _calendarpage(request, year, forms.WorkingDayOverrideForm())


def _calendarpage(request, year, form, status=200):
    today = timezone.localdate()
    return render(
        request,
        "console/congress/calendar.html",
        {
            "year": year,
            "years": [today.year - 1, today.year, today.year + 1],
            "overrides": selectors.working_day_overrides(request.user, year=year),
            "coverage": selectors.calendar_coverage(today),
            "form": form,
            "can_manage": permissions.can_manage_institution(request.user),
        },
        status=status,
    )


@manage_institution
@require_POST
def calendar_add(request):
    form = forms.WorkingDayOverrideForm(request.POST)
    if not form.is_valid():
        return _calendarpage(request, timezone.localdate().year, form, status=400)
    override = services.working_day_override_save(actor=request.user, **form.cleaned_data)
    messages.success(request, _("Calendar entry for %(day)s saved.") % {"day": override.day.isoformat()})
    return redirect(f"{reverse('console:calendar')}?year={override.day.year}")


@manage_institution
@require_POST
def calendar_delete(request, pk):
    override = selectors.working_day_overrides(request.user).filter(pk=pk).first()
    if override is None:
        messages.info(request, _("That calendar entry no longer exists."))
        return redirect("console:calendar")
    year = override.day.year
    services.working_day_override_delete(actor=request.user, override=override)
    messages.success(request, _("Calendar entry removed."))
    return redirect(f"{reverse('console:calendar')}?year={year}")


urlpatterns = [
    path("", home, name="home"),
    path("regions/", region_list, name="regions"),
    path("regions/new/", region_create, name="region_create"),
    path("regions/<int:pk>/edit/", region_edit, name="region_edit"),
    path("bodies/", body_list, name="bodies"),
    path("bodies/new/", body_create, name="body_create"),
    path("bodies/<int:pk>/", body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", body_edit, name="body_edit"),
    path("bodies/<int:body_pk>/terms/new/", term_create, name="term_create"),
    path("terms/<int:pk>/edit/", term_edit, name="term_edit"),
    path("terms/<int:term_pk>/sessions/new/", session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("committees/", committee_list, name="committees"),
    path("committees/new/", committee_create, name="committee_create"),
    path("committees/<int:pk>/edit/", committee_edit, name="committee_edit"),
    path("units/", unit_list, name="units"),
    path("units/new/", unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", unit_edit, name="unit_edit"),
    path("users/", user_list, name="users"),
    path("users/new/", user_create, name="user_create"),
    path("users/<int:pk>/", user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/second-factor/reset/", user_second_factor_reset, name="user_second_factor_reset"),
    path("users/<int:pk>/grants/", grant_create, name="grant_create"),
    path("grants/<int:pk>/revoke/", grant_revoke, name="grant_revoke"),
    path("rules/", rules_list, name="rules"),
    path("rules/<int:body_pk>/", rules_edit, name="rules_edit"),
    path("calendar/", calendar_list, name="calendar"),
    path("calendar/add/", calendar_add, name="calendar_add"),
    path("calendar/<int:pk>/delete/", calendar_delete, name="calendar_delete"),
]
