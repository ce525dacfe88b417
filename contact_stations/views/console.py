"""Console pages of the contact stations, mounted at /console/stations/ (namespace console:stations).

Stations with their deputies, rosters and shifts, the opinion triage queue with its time limits,
an opinion's page with its timeline and one action form per route, return visits, station
activities, and statistics per station and town with an Excel export. District staff, township
officers and station keepers each act in their scope (`contact_stations.permissions`); unit
officers reach the opinions passed to their unit. Every write goes through the services.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import access
from congress.exports import CONTENT_TYPE
from congress.forms import UnmaskForm
from congress.masking import mask_name, mask_phone
from congress.models import Event
from congress.models.accounts import Role
from congress.permissions import has_role
from congress.rules import describe_basis
from congress.views.support import apply_validation_error, error_text, page
from congress.workflow import WorkflowError, allowed_targets
from contact_stations import exports, permissions, selectors, services, statistics
from contact_stations import forms_console as forms
from contact_stations.api import apply_transition
from contact_stations.models import (
    DutyShift,
    Opinion,
    ReturnVisit,
    RosterRule,
    ShiftDuty,
    Station,
    StationActivity,
    StationDeputy,
)
from contact_stations.serializers import Transition, is_overdue
from deputies.models import Deputy

State = Opinion.State


# ---- who may open which page ---------------------------------------------------------------------


def can_read_stations(user) -> bool:
    return user.is_superuser or has_role(user, *permissions.STATION_READ_ROLES)


def can_manage_stations(user) -> bool:
    return user.is_superuser or has_role(user, *permissions.STATION_MANAGE_ROLES)


def can_read_opinions(user) -> bool:
    return user.is_superuser or has_role(user, *permissions.OPINION_READ_ROLES, Role.UNIT_OFFICER)


def can_export_opinions(user) -> bool:
    """Excel of citizens' opinions: the offices that handle them, not readers or units."""
    return user.is_superuser or has_role(user, *permissions.OFFICE_ROLES, Role.TOWNSHIP_OFFICER)


read_stations = access.require(can_read_stations)
manage_stations = access.require(can_manage_stations)
read_opinions = access.require(can_read_opinions)
export_opinions = access.require(can_export_opinions)


def _station(request, pk) -> Station:
    station = selectors.stations_for(request.user).filter(pk=pk).first()
    if station is None:
        raise Http404
    return station


def _managed_station(request, pk) -> Station:
    station = _station(request, pk)
    if not permissions.can_manage_station(request.user, station):
        raise PermissionDenied
    return station


# ---- stations ------------------------------------------------------------------------------------


@read_stations
def station_list(request):
    stations = (
        selectors.stations_for(request.user)
        .annotate(
            deputy_count=Count("assignments", filter=Q(assignments__until__isnull=True), distinct=True),
            open_opinions=Count("opinions", filter=~Q(opinions__state=State.CLOSED), distinct=True),
        )
        .order_by("region__path", "name")
    )
    kind = request.GET.get("kind", "")
    if kind in Station.Kind.values:
        stations = stations.filter(kind=kind)
    return render(
        request,
        "console/stations/station_list.html",
        {
            "page_obj": page(request, stations, per_page=50),
            "kinds": Station.Kind.choices,
            "kind": kind,
            "can_manage": can_manage_stations(request.user),
        },
    )


@read_stations
def station_detail(request, pk):
    station = _station(request, pk)
    today = timezone.localdate()
    assignments = StationDeputy.objects.current().filter(station=station).select_related("deputy__body")
    rules = RosterRule.objects.filter(station=station).prefetch_related("deputies").order_by("pk")
    shifts = (
        DutyShift.objects.filter(station=station, date__gte=today - datetime.timedelta(days=31))
        .prefetch_related(Prefetch("duties", queryset=ShiftDuty.objects.select_related("deputy")))
        .order_by("date", "start_time")[:12]
    )
    activities = StationActivity.objects.filter(station=station).prefetch_related("participants")[:10]
    counts = Opinion.objects.filter(station=station).aggregate(
        open=Count("pk", filter=~Q(state=State.CLOSED)),
        overdue=Count("pk", filter=forms.overdue_q(today)),
        total=Count("pk"),
    )
    can_manage = permissions.can_manage_station(request.user, station)
    return render(
        request,
        "console/stations/station_detail.html",
        {
            "station": station,
            "assignments": assignments,
            "rules": rules,
            "shifts": shifts,
            "activities": activities,
            "counts": counts,
            "events": Event.objects.for_object(station).select_related("actor").order_by("-created_at", "-pk")[:20],
            "can_manage": can_manage,
            "can_run": permissions.can_run_shift(request.user, station),
            "assign_form": forms.AssignDeputyForm(user=request.user) if can_manage else None,
            "release_form": forms.ReleaseDeputyForm(),
            "generate_form": forms.GenerateShiftsForm(initial={"year": today.year}),
        },
    )


def _station_form(request, station: Station | None):
    form = forms.StationForm(request.POST or None, instance=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if station is None:
                data = form.changes()
                saved = services.station_create(
                    actor=request.user, body=form.cleaned_data["body"], region=form.cleaned_data["region"],
                    kind=data.pop("kind"), name=data.pop("name"), **data,
                )
            else:
                saved = services.station_update(actor=request.user, station=station, **form.changes())
        except PermissionDenied:
            form.add_error("region" if station is None else None, _("You may not manage stations there."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Station “%(name)s” saved.") % {"name": saved.name})
            return redirect("console:stations:station_detail", pk=saved.pk)
    return render(request, "console/stations/station_form.html", {"form": form, "station": station})


@manage_stations
def station_create(request):
    return _station_form(request, None)


@manage_stations
def station_edit(request, pk):
    station = _managed_station(request, pk)
    # A fresh instance: the form writes into it while validating, the service reloads the row.
    return _station_form(request, Station.objects.get(pk=station.pk))


@manage_stations
@require_POST
def station_assign_deputy(request, pk):
    station = _managed_station(request, pk)
    form = forms.AssignDeputyForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a deputy and the date the assignment starts."))
    else:
        try:
            services.station_assign_deputy(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(name)s is stationed here.") % {"name": form.cleaned_data["deputy"].name})
    return redirect("console:stations:station_detail", pk=station.pk)


@manage_stations
@require_POST
def station_release_deputy(request, pk, deputy_pk):
    station = _managed_station(request, pk)
    deputy = Deputy.objects.filter(pk=deputy_pk, station_assignments__station=station).distinct().first()
    form = forms.ReleaseDeputyForm(request.POST)
    if deputy is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Give the date the assignment ends."))
    else:
        try:
            services.station_release_deputy(actor=request.user, station=station, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(name)s is no longer stationed here.") % {"name": deputy.name})
    return redirect("console:stations:station_detail", pk=station.pk)


# ---- rosters and shifts --------------------------------------------------------------------------


@manage_stations
def roster_rule_create(request, pk):
    station = _managed_station(request, pk)
    form = forms.RosterRuleForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.roster_rule_create(
                actor=request.user, station=station, kind=data["kind"], day_of_month=data["day_of_month"],
                explicit_dates=data["explicit_dates"], move_off_days=data["move_off_days"],
                start_time=data["start_time"], end_time=data["end_time"], deputies=data["deputies"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Roster rule added; generate the year's shifts from it."))
            return redirect("console:stations:station_detail", pk=station.pk)
    return render(request, "console/stations/roster_rule_form.html", {"form": form, "station": station})


@manage_stations
@require_POST
def roster_generate(request, rule_pk):
    rule = RosterRule.objects.filter(pk=rule_pk, station__in=permissions.manageable_stations(request.user)).first()
    if rule is None:
        raise Http404
    form = forms.GenerateShiftsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year."))
    else:
        created = services.shifts_generate(actor=request.user, rule=rule, year=form.cleaned_data["year"])
        messages.success(request, _("%(count)s shifts created.") % {"count": len(created)})
    return redirect("console:stations:station_detail", pk=rule.station_id)


def _shift(request, pk) -> DutyShift:
    shift = (
        selectors.shifts_for(request.user)
        .select_related("station__body", "station__keeper", "roster_rule")
        .filter(pk=pk)
        .first()
    )
    if shift is None:
        raise Http404
    return shift


@read_stations
def shift_detail(request, pk):
    shift = _shift(request, pk)
    can_run = permissions.can_run_shift(request.user, shift.station)
    return render(
        request,
        "console/stations/shift_detail.html",
        {
            "shift": shift,
            "can_run": can_run,
            "hold_form": forms.ShiftHoldForm(shift=shift) if can_run else None,
            "cancel_form": forms.ShiftCancelForm(),
            "events": Event.objects.for_object(shift).select_related("actor").order_by("-created_at", "-pk"),
            "opinions": Opinion.objects.filter(shift=shift).order_by("pk"),
        },
    )


def _shift_action(request, pk, act):
    shift = _shift(request, pk)
    if not permissions.can_run_shift(request.user, shift.station):
        raise PermissionDenied
    try:
        act(shift)
    except ValidationError as error:
        messages.error(request, error_text(error))
    except WorkflowError as error:
        messages.error(request, str(error.message))
    return redirect("console:stations:shift_detail", pk=shift.pk)


@read_stations
@require_POST
def shift_publish(request, pk):
    def act(shift):
        services.shift_publish(actor=request.user, shift=shift)
        messages.success(request, _("The reception day is announced."))

    return _shift_action(request, pk, act)


@read_stations
@require_POST
def shift_hold(request, pk):
    """Record a held shift: the deputies present are checked in, the others become no-shows."""

    def act(shift):
        form = forms.ShiftHoldForm(request.POST, shift=shift)
        if not form.is_valid():
            messages.error(request, _("Enter the number of visitors."))
            return
        with transaction.atomic():
            for deputy in form.cleaned_data["present"]:
                services.shift_check_in(actor=request.user, shift=shift, deputy=deputy)
            services.shift_hold(
                actor=request.user, shift=shift, visitor_count=form.cleaned_data["visitor_count"],
                note=form.cleaned_data["note"],
            )
        messages.success(request, _("The shift is recorded as held."))

    return _shift_action(request, pk, act)


@read_stations
@require_POST
def shift_cancel(request, pk):
    def act(shift):
        form = forms.ShiftCancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for cancelling."))
            return
        services.shift_cancel(actor=request.user, shift=shift, reason=form.cleaned_data["reason"])
        messages.success(request, _("The shift is cancelled."))

    return _shift_action(request, pk, act)


# ---- opinions: the triage queue ------------------------------------------------------------------


def _annotate_deadlines(opinions, today):
    for opinion in opinions:
        opinion.is_overdue = is_overdue(opinion, today)
        opinion.ack_basis_text = describe_basis(opinion.ack_due_basis)
        opinion.answer_basis_text = describe_basis(opinion.answer_due_basis)
        opinion.ack_pending = opinion.state == State.RECEIVED
        opinion.answer_pending = opinion.state in (State.RECEIVED, *Opinion.AWAITING_ANSWER)
    return opinions


def _queue(request):
    form = forms.OpinionFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    opinions = form.filter(selectors.opinions_for(request.user), today=today).order_by("answer_due", "ack_due", "pk")
    return form, opinions, today


@read_opinions
def opinion_queue(request):
    form, opinions, today = _queue(request)
    page_obj = page(request, opinions, per_page=50)
    _annotate_deadlines(page_obj.object_list, today)
    context = {
        "form": form,
        "page_obj": page_obj,
        "today": today,
        "filter_params": form.params(),
        "can_export": can_export_opinions(request.user),
        "can_record": can_read_stations(request.user),
    }
    if request.htmx:
        return render(request, "console/stations/_opinion_rows.html", context)
    return render(request, "console/stations/opinion_queue.html", context)


@export_opinions
def opinion_export(request):
    form, opinions, today = _queue(request)
    content = exports.opinions_workbook(opinions.iterator(chunk_size=500), today=today, request=request,
                                        filters=form.params())
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("opinions")}"'
    return response


@read_stations
def opinion_record(request):
    form = forms.OpinionRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            form.add_error("station", _("You may not record opinions at this station."))
        else:
            messages.success(request, _("Opinion recorded; receipt code %(code)s.") % {"code": opinion.receipt_code})
            return redirect("console:stations:opinion_detail", pk=opinion.pk)
    return render(request, "console/stations/opinion_record.html", {"form": form})


# ---- opinions: one opinion and its actions -------------------------------------------------------

# (url slug, transition, form class, button label, button style); one route and one form each.
ACTIONS = {
    "acknowledge": (
        Transition.ACKNOWLEDGE, forms.AcknowledgeForm, gettext_lazy("Acknowledge receipt"), "outline-primary"
    ),
    "answer-on-spot": (
        Transition.ANSWER_ON_SPOT, forms.TextForm, gettext_lazy("Answered on the spot"), "outline-success"
    ),
    "route-to-town": (
        Transition.ROUTE_TO_TOWN, forms.NoteForm, gettext_lazy("Pass to the town or street"), "outline-primary"
    ),
    "route-to-district": (
        Transition.ROUTE_TO_DISTRICT,
        forms.NoteForm,
        gettext_lazy("Pass to the district standing committee"),
        "outline-primary",
    ),
    "route-to-unit": (
        Transition.ROUTE_TO_UNIT, forms.UnitForm, gettext_lazy("Pass to a handling unit"), "outline-primary"
    ),
    "turn-into-suggestion": (
        Transition.TURN_INTO_SUGGESTION,
        forms.SuggestionForm,
        gettext_lazy("Turn into a deputy’s suggestion"),
        "outline-primary",
    ),
    "turn-into-topic": (
        Transition.TURN_INTO_TOPIC,
        forms.NoteForm,
        gettext_lazy("Turn into a supervision topic proposal"),
        "outline-primary",
    ),
    "decline": (
        Transition.DECLINE, forms.DeclineForm, gettext_lazy("Decline, naming the right channel"), "outline-warning"
    ),
    "answer": (
        Transition.ANSWER, forms.TextForm, gettext_lazy("Answer"), "success"
    ),
    "close": (
        Transition.CLOSE, forms.AcknowledgeForm, gettext_lazy("Close"), "success"
    ),
    "reopen": (
        Transition.REOPEN, forms.ReasonForm, gettext_lazy("Reopen"), "outline-danger"
    ),
}
TARGET_STATE = {
    Transition.ACKNOWLEDGE: State.ACKNOWLEDGED,
    Transition.ANSWER_ON_SPOT: State.ANSWERED_ON_SPOT,
    Transition.ROUTE_TO_TOWN: State.PASSED_TO_TOWN,
    Transition.ROUTE_TO_DISTRICT: State.PASSED_TO_DISTRICT,
    Transition.ROUTE_TO_UNIT: State.PASSED_TO_UNIT,
    Transition.TURN_INTO_SUGGESTION: State.TURNED_INTO_SUGGESTION,
    Transition.TURN_INTO_TOPIC: State.TURNED_INTO_TOPIC,
    Transition.DECLINE: State.DECLINED,
    Transition.ANSWER: State.ANSWERED,
    Transition.CLOSE: State.CLOSED,
    Transition.REOPEN: State.REOPENED,
}


def _may(user, opinion, transition) -> bool:
    """Whether to offer the action (the service checks again on the locked row)."""
    to = TARGET_STATE[transition]
    if to not in allowed_targets(opinion):
        return False
    if transition == Transition.ANSWER:
        return permissions.can_answer(user, opinion)
    if transition == Transition.CLOSE:
        return permissions.can_close(user, opinion)
    if transition == Transition.REOPEN:
        return permissions.can_reopen(user, opinion)
    if transition == Transition.ROUTE_TO_UNIT:
        return permissions.holds(user, opinion) or permissions.can_route(user, opinion, State.PASSED_TO_DISTRICT)
    if transition == Transition.TURN_INTO_SUGGESTION:
        return permissions.holds(user, opinion) and opinion.state != State.PASSED_TO_UNIT
    return permissions.can_route(user, opinion, to)


def _action_form(slug, opinion, user, data=None):
    _transition, form_class, _label, _style = ACTIONS[slug]
    kwargs = {}
    if form_class is forms.UnitForm:
        kwargs["user"] = user
    if form_class is forms.SuggestionForm:
        kwargs.update(user=user, opinion=opinion)
    return form_class(data, initial={"expected_state": opinion.state}, prefix=slug, **kwargs)


def _opinion(request, pk) -> Opinion:
    try:
        return selectors.opinion_detail(request.user, pk)
    except Opinion.DoesNotExist as error:
        raise Http404 from error


def _opinion_page(request, opinion, *, failed=None, unmasked_phone=None, unmask_form=None, status=200):
    today = timezone.localdate()
    _annotate_deadlines([opinion], today)
    actions = []
    for slug, (transition, _form, label, style) in ACTIONS.items():
        url = reverse(f"console:stations:opinion_{slug.replace('-', '_')}", args=[opinion.pk])
        if failed is not None and failed[0] == slug:
            actions.append((url, label, style, failed[1]))
        elif _may(request.user, opinion, transition):
            actions.append((url, label, style, _action_form(slug, opinion, request.user)))
    visit = next((visit for visit in opinion.return_visits.all() if visit.round == opinion.closure_round), None)
    can_call = permissions.can_record_return_visit_call(request.user, opinion)
    can_triage = permissions.can_triage(request.user, opinion)
    return render(
        request,
        "console/stations/opinion_detail.html",
        {
            "opinion": opinion,
            "actions": actions,
            "events": Event.objects.for_object(opinion).select_related("actor").order_by("created_at", "pk"),
            "similar": selectors.similar_open_opinions(opinion) if can_triage else [],
            "can_triage": can_triage,
            "visit": visit,
            "can_call": can_call and visit is not None and not visit.is_rated and opinion.state == State.CLOSED,
            "can_resend": can_call and visit is not None and not visit.is_rated and bool(opinion.citizen_phone)
            and opinion.state == State.CLOSED and not opinion.anonymised_at,
            "call_form": forms.ReturnVisitCallForm(),
            "today": today,
            "citizen_name": mask_name(opinion.citizen_name),
            "citizen_phone": unmasked_phone or mask_phone(opinion.citizen_phone),
            "phone_unmasked": bool(unmasked_phone),
            "unmask_form": None
            if unmasked_phone or not opinion.citizen_phone or opinion.anonymised_at
            or not permissions.can_unmask_citizen_phone(request.user, opinion)
            else unmask_form or UnmaskForm(prefix="unmask"),
        },
        status=status,
    )


@read_opinions
def opinion_detail(request, pk):
    return _opinion_page(request, _opinion(request, pk))


@read_opinions
@require_POST
def opinion_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    opinion = _opinion(request, pk)
    transition = ACTIONS[action][0]
    form = _action_form(action, opinion, request.user, data=request.POST)
    if not form.is_valid():
        return _opinion_page(request, opinion, failed=(action, form), status=400)
    try:
        apply_transition(actor=request.user, opinion=opinion, data={"transition": transition, **form.cleaned_data})
    except ValidationError as error:
        apply_validation_error(form, error)
        return _opinion_page(request, opinion, failed=(action, form), status=400)
    except WorkflowError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: %(state)s.") % {"state": opinion.get_state_display()})
    if not selectors.opinions_for(request.user).filter(pk=opinion.pk).exists():
        return redirect("console:stations:opinion_queue")
    return redirect("console:stations:opinion_detail", pk=opinion.pk)


def _action_view(slug):
    def view(request, pk):
        return opinion_action(request, pk, slug)

    view.__name__ = f"opinion_{slug.replace('-', '_')}"
    # `opinion_action` is already wrapped by the access decorator; tag this thin alias the same way.
    view.access_policy = opinion_action.access_policy
    view.access_detail = opinion_action.access_detail
    return view


@read_opinions
@require_POST
def opinion_unmask_phone(request, pk):
    """Show the citizen's phone in full for a stated reason; the page answers with it once and the
    next plain GET is masked again (SECURITY S18)."""
    opinion = _opinion(request, pk)
    form = UnmaskForm(request.POST, prefix="unmask")
    if not form.is_valid():
        return _opinion_page(request, opinion, unmask_form=form, status=400)
    try:
        phone = services.opinion_unmask_phone(
            actor=request.user, opinion=opinion, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return _opinion_page(request, opinion, unmask_form=form, status=400)
    return _opinion_page(request, opinion, unmasked_phone=phone)


@read_opinions
@require_POST
def opinion_link_duplicate(request, pk):
    opinion = _opinion(request, pk)
    form = forms.LinkDuplicateForm(request.POST)
    primary = None
    if form.is_valid():
        primary = selectors.opinions_for(request.user).filter(pk=form.cleaned_data["primary"]).first()
    if primary is None:
        raise Http404
    try:
        services.opinion_link_duplicate(actor=request.user, opinion=opinion, primary=primary)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Linked as the same matter as %(code)s.") % {"code": primary.receipt_code})
    return redirect("console:stations:opinion_detail", pk=opinion.pk)


# ---- return visits -------------------------------------------------------------------------------


def _open_visit(opinion) -> ReturnVisit | None:
    return ReturnVisit.objects.filter(opinion=opinion, round=opinion.closure_round, rated_at__isnull=True).first()


@read_opinions
@require_POST
def return_visit_resend(request, pk):
    opinion = _opinion(request, pk)
    visit = _open_visit(opinion)
    if visit is None:
        raise Http404
    token = services.return_visit_resend_link(actor=request.user, visit=visit)
    if token:
        messages.success(request, _("A new rating link was sent to the citizen."))
    else:
        messages.error(request, _("No link could be sent for this opinion."))
    return redirect("console:stations:opinion_detail", pk=opinion.pk)


@read_opinions
@require_POST
def return_visit_call(request, pk):
    opinion = _opinion(request, pk)
    form = forms.ReturnVisitCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the rating the citizen gave."))
        return redirect("console:stations:opinion_detail", pk=opinion.pk)
    try:
        services.return_visit_record_call(actor=request.user, opinion=opinion, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    except WorkflowError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The citizen’s rating is recorded."))
    return redirect("console:stations:opinion_detail", pk=opinion.pk)


# ---- activities ----------------------------------------------------------------------------------


@read_stations
def activity_list(request):
    activities = (
        StationActivity.objects.filter(station__in=permissions.visible_stations(request.user))
        .select_related("station")
        .annotate(participant_count=Count("participants"))
        .order_by("-date", "-pk")
    )
    return render(request, "console/stations/activity_list.html", {"page_obj": page(request, activities)})


@read_stations
def activity_create(request, pk):
    station = _station(request, pk)
    if not permissions.can_record_activity(request.user, station):
        raise PermissionDenied
    form = forms.ActivityForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_activity_create(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Activity recorded; it counts in the deputies’ duty record."))
            return redirect("console:stations:station_detail", pk=station.pk)
    return render(request, "console/stations/activity_form.html", {"form": form, "station": station})


# ---- statistics ----------------------------------------------------------------------------------


def _statistics(request):
    year = forms.YearForm(request.GET).chosen_year()
    station_rows = statistics.station_figures(request.user, year=year)
    town_rows = statistics.town_figures(station_rows)
    return year, station_rows, town_rows


@read_stations
def statistics_page(request):
    year, station_rows, town_rows = _statistics(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "console/stations/statistics.html",
        {
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "station_rows": station_rows,
            "town_rows": town_rows,
            "total": statistics.totals(station_rows, _("All stations")),
            "chart": statistics.chart_data(town_rows if len(town_rows) > 1 else station_rows),
            "chart_labels": {
                "shifts_held": _("Shifts held"), "visitors": _("Visitors"), "received": _("Opinions received"),
                "closed": _("Closed"), "on_time": _("Answered on time"),
            },
        },
    )


@read_stations
def statistics_export(request):
    year, station_rows, town_rows = _statistics(request)
    content = exports.statistics_workbook(station_rows, town_rows, year=year, request=request)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(f"station-statistics-{year}")}"'
    return response


urlpatterns = [
    path("", station_list, name="station_list"),
    path("new/", station_create, name="station_create"),
    path("<int:pk>/", station_detail, name="station_detail"),
    path("<int:pk>/edit/", station_edit, name="station_edit"),
    path("<int:pk>/deputies/assign/", station_assign_deputy, name="station_assign_deputy"),
    path("<int:pk>/deputies/<int:deputy_pk>/release/", station_release_deputy, name="station_release_deputy"),
    path("<int:pk>/roster/new/", roster_rule_create, name="roster_rule_create"),
    path("<int:pk>/activities/new/", activity_create, name="activity_create"),
    path("roster-rules/<int:rule_pk>/generate/", roster_generate, name="roster_generate"),
    path("shifts/<int:pk>/", shift_detail, name="shift_detail"),
    path("shifts/<int:pk>/publish/", shift_publish, name="shift_publish"),
    path("shifts/<int:pk>/hold/", shift_hold, name="shift_hold"),
    path("shifts/<int:pk>/cancel/", shift_cancel, name="shift_cancel"),
    path("opinions/", opinion_queue, name="opinion_queue"),
    path("opinions/export/", opinion_export, name="opinion_export"),
    path("opinions/new/", opinion_record, name="opinion_record"),
    path("opinions/<int:pk>/", opinion_detail, name="opinion_detail"),
    *[
        path(f"opinions/<int:pk>/{slug}/", _action_view(slug), name=f"opinion_{slug.replace('-', '_')}")
        for slug in ACTIONS
    ],
    path("opinions/<int:pk>/unmask-phone/", opinion_unmask_phone, name="opinion_unmask_phone"),
    path("opinions/<int:pk>/link-duplicate/", opinion_link_duplicate, name="opinion_link_duplicate"),
    path("opinions/<int:pk>/return-visit/resend/", return_visit_resend, name="return_visit_resend"),
    path("opinions/<int:pk>/return-visit/call/", return_visit_call, name="return_visit_call"),
    path("activities/", activity_list, name="activity_list"),
    path("statistics/", statistics_page, name="statistics"),
    path("statistics/export/", statistics_export, name="statistics_export"),
]
