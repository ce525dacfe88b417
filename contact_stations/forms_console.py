"""Forms of the contact-stations console: they parse and limit choices to the user's scope; the
services decide (and refuse with ValidationError or PermissionDenied)."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin
from congress.models import Region, Unit, User
from congress.models.accounts import Role
from congress.permissions import visible_bodies, visible_regions, visible_units
from contact_stations import permissions
from contact_stations.models import Opinion, Rating, ShiftKind, Station, StationActivity, StationDeputy
from deputies.models import Deputy
from deputies.permissions import visible_deputies

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DeputyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, deputy):
        return f"{deputy.name} · {deputy.body.short_name or deputy.body.name}"


class DeputyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, deputy):
        return deputy.name


class Styled(BootstrapMixin):
    """Bootstrap classes on every widget; choice lists of checkboxes or radios are form-check inputs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
                field.widget.attrs["class"] = "form-check-input"


def stationed_deputies(station: Station):
    current = StationDeputy.objects.current().filter(station=station).values("deputy_id")
    return Deputy.objects.filter(pk__in=current).order_by("name")


# ---- stations -----------------------------------------------------------------------------------


class StationForm(Styled, forms.ModelForm):
    class Meta:
        model = Station
        fields = [
            "body", "region", "kind", "name", "industry", "parent", "address", "latitude", "longitude",
            "opening_hours", "keeper", "status",
        ]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = visible_bodies(user).order_by("level", "name")
        self.fields["region"].queryset = visible_regions(user).order_by("path")
        self.fields["parent"].queryset = permissions.manageable_stations(user).order_by("name")
        keepers = Q(role_grants__role__in=[Role.STATION_KEEPER, Role.TOWNSHIP_OFFICER], role_grants__revoked_at=None)
        self.fields["keeper"].queryset = User.objects.filter(keepers, is_active=True).distinct().order_by("username")
        self.fields["keeper"].label_from_instance = lambda user: user.display_name
        if self.instance.pk:
            # Moving a station to another congress or region is a new station, not an edit.
            del self.fields["body"]
            del self.fields["region"]
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)
        else:
            del self.fields["status"]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("body", None)
        data.pop("region", None)
        return data


class AssignDeputyForm(Styled, forms.Form):
    deputy = DeputyChoiceField(queryset=Deputy.objects.none(), label=_("Deputy"))
    since = forms.DateField(label=_("Since"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = (
            visible_deputies(user).serving().select_related("body").order_by("body__level", "name")
        )


class ReleaseDeputyForm(Styled, forms.Form):
    until = forms.DateField(label=_("Until"), widget=DATE, initial=timezone.localdate)


# ---- rosters and shifts ------------------------------------------------------------------------


class RosterRuleForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ShiftKind.choices, initial=ShiftKind.RECEPTION)
    day_of_month = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31, required=False)
    explicit_dates = forms.CharField(
        label=_("Dates"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Instead of a day of the month: dates as YYYY-MM-DD, separated by spaces or new lines."),
    )
    move_off_days = forms.BooleanField(label=_("Move days off to the next working day"), required=False)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    end_time = forms.TimeField(label=_("End time"), widget=TIME)
    deputies = DeputyMultipleChoiceField(
        label=_("Deputies on duty"), queryset=Deputy.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = stationed_deputies(station)

    def clean_explicit_dates(self):
        dates = []
        for part in self.cleaned_data["explicit_dates"].replace(",", " ").split():
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError as error:
                raise forms.ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": part}) from error
        return dates


class GenerateShiftsForm(Styled, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class ShiftHoldForm(Styled, forms.Form):
    """Closing a reception day: who came (the rest become no-shows) and how many visitors."""

    present = DeputyMultipleChoiceField(
        label=_("Deputies present"), queryset=Deputy.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visitor_count = forms.IntegerField(label=_("Visitors"), min_value=0, max_value=100000)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, shift, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Deputy.objects.filter(shift_duties__shift=shift).order_by("name")
        self.fields["present"].initial = [
            duty.deputy_id for duty in shift.duties.all() if duty.checked_in_at is not None
        ]


class ShiftCancelForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason for cancellation"), widget=forms.Textarea(attrs={"rows": 2}))


# ---- opinions -----------------------------------------------------------------------------------


class OpinionFilterForm(Styled, forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none(), required=False)
    town = forms.ModelChoiceField(label=_("Town or street"), queryset=Region.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All open")), *Opinion.State.choices]
        self.fields["station"].queryset = permissions.visible_stations(user).order_by("name")
        self.fields["town"].queryset = visible_regions(user).filter(
            kind__in=[Region.Kind.TOWN, Region.Kind.STREET]
        ).order_by("path")

    def filter(self, opinions, *, today):
        if not self.is_valid():
            return opinions.exclude(state=Opinion.State.CLOSED)
        data = self.cleaned_data
        if data["state"]:
            opinions = opinions.filter(state=data["state"])
        else:
            opinions = opinions.exclude(state=Opinion.State.CLOSED)
        if data["station"]:
            opinions = opinions.filter(station=data["station"])
        if data["town"]:
            opinions = opinions.filter(region__path__startswith=data["town"].path)
        if data["overdue"]:
            opinions = opinions.filter(overdue_q(today))
        return opinions

    def params(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            name: (value.pk if hasattr(value, "pk") else value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False)
        }


def overdue_q(today) -> Q:
    return Q(state=Opinion.State.RECEIVED, ack_due__lt=today) | Q(
        state__in=[Opinion.State.RECEIVED, *Opinion.AWAITING_ANSWER], answer_due__lt=today
    )


class OpinionRecordForm(Styled, forms.Form):
    """An opinion taken down in the office: at a reception, by phone, from a letter."""

    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    source = forms.ChoiceField(
        label=_("Source"), choices=[c for c in Opinion.Source.choices if c[0] != Opinion.Source.QR_FORM]
    )
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=Opinion.Category.choices)
    place = forms.CharField(label=_("Place concerned"), max_length=200, required=False)
    citizen_name = forms.CharField(label=_("Citizen’s name"), max_length=64, required=False)
    citizen_phone = forms.CharField(label=_("Citizen’s phone"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_("The citizen agreed to the processing of their contact details"), required=False
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stations = permissions.visible_stations(user).select_related("region").order_by("name")
        allowed = [station.pk for station in stations if permissions.can_record_opinion(user, station)]
        self.fields["station"].queryset = Station.objects.filter(pk__in=allowed).order_by("name")

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class _ActionForm(Styled, forms.Form):
    """Every action form carries the state the user saw, so a stale page fails cleanly."""

    expected_state = forms.ChoiceField(choices=Opinion.State.choices, widget=forms.HiddenInput)


class AcknowledgeForm(_ActionForm):
    pass


class TextForm(_ActionForm):
    text = forms.CharField(label=_("Answer to the citizen"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(_ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnitForm(NoteForm):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user).filter(is_active=True).order_by("name")


class SuggestionForm(NoteForm):
    deputy = DeputyChoiceField(label=_("Deputy taking it up"), queryset=Deputy.objects.none())

    def __init__(self, *args, user, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        scope = Q(pk__in=visible_deputies(user).values("pk"))
        if opinion.station_id:
            scope |= Q(pk__in=StationDeputy.objects.current().filter(station_id=opinion.station_id).values("deputy_id"))
        self.fields["deputy"].queryset = Deputy.objects.serving().filter(scope).select_related("body").order_by("name")


class DeclineForm(_ActionForm):
    channel = forms.ChoiceField(label=_("Channel named"), choices=Opinion.DeclineChannel.choices)
    text = forms.CharField(label=_("Explanation to the citizen"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(_ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnVisitCallForm(Styled, forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class LinkDuplicateForm(Styled, forms.Form):
    primary = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# ---- activities and statistics ------------------------------------------------------------------


class ActivityForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StationActivity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = DeputyMultipleChoiceField(
        label=_("Deputies taking part"), queryset=Deputy.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    citizen_count = forms.IntegerField(label=_("Citizens taking part"), min_value=0, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = stationed_deputies(station).filter(
            pk__in=Deputy.objects.serving().values("pk")
        )


class YearForm(Styled, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return timezone.localdate().year


class ActivityPhotoForm(Styled, forms.Form):
    """The type and size are checked by the service, on the bytes (SECURITY S16)."""

    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
