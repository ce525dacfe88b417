"""Forms of the deputies console: they parse and validate; `deputies.services` writes.

Every related-object choice is limited to what the user may see or keep, so a form cannot reach
across a scope. ID numbers and phones are never put back into a form: an edit form shows them
masked and keeps the stored value unless a new one is typed (SECURITY S17).
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin, DateInput
from congress.models import Body, Region, Session, Term
from congress.permissions import visible_bodies, visible_regions
from deputies import permissions
from deputies.models import (
    ActivityKind,
    Constituency,
    ContactLog,
    Delegation,
    Deputy,
    DutyParticipation,
    Party,
    Sector,
    ThemeYear,
)

PER_PAGE_CHOICES = (25, 50, 100, 200, 500)
STATUS_ALL = "all"


def in_town(queryset, town: Region):
    """Deputies of a town or street: its township congress's deputies and the district deputies
    elected there (constituency or delegation in the town)."""
    return queryset.filter(
        Q(body__region__path__startswith=town.path)
        | Q(constituency__region__path__startswith=town.path)
        | Q(delegation__region__path__startswith=town.path)
    )


class RosterFilterForm(BootstrapMixin, forms.Form):
    """The roster's filters, shared by the list page, its Excel export and the export job."""

    q = forms.CharField(label=_("Name"), max_length=64, required=False)
    body = forms.ModelChoiceField(label=_("Congress"), queryset=Body.objects.none(), required=False)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)
    town = forms.ModelChoiceField(label=_("Town or street"), queryset=Region.objects.none(), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False)
    party = forms.ChoiceField(
        label=_("Political affiliation"), choices=[("", _("All")), *Party.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[*Deputy.Status.choices, (STATUS_ALL, _("All statuses"))], required=False
    )
    standing_committee = forms.BooleanField(label=_("Standing committee members"), required=False)
    district_leader = forms.BooleanField(label=_("District-level leaders"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Per page"), choices=[(n, n) for n in PER_PAGE_CHOICES], coerce=int, required=False
    )

    def __init__(self, data, *, user):
        data = data.copy()
        # Serving deputies unless another status (or all) is asked for.
        if not data.get("status"):
            data["status"] = Deputy.Status.SERVING
        super().__init__(data)
        # The congresses of every deputy the user may read: a township office also reads the
        # district deputies elected in its town, though the district congress is above its region.
        bodies = Body.objects.filter(
            Q(pk__in=visible_bodies(user).values("pk")) | Q(pk__in=permissions.visible_deputies(user).values("body"))
        ).order_by("level", "name")
        self.fields["body"].queryset = bodies
        self.fields["term"].queryset = Term.objects.filter(body__in=bodies).select_related("body")
        self.fields["town"].queryset = visible_regions(user).filter(
            kind__in=[Region.Kind.TOWN, Region.Kind.STREET]
        ).order_by("code")

    def page_size(self) -> int:
        if self.is_valid() and self.cleaned_data.get("per_page"):
            return self.cleaned_data["per_page"]
        return 50

    def filter(self, deputies):
        """Apply the valid filters to a (scoped) queryset; invalid ones are ignored, never widened."""
        # A value that does not parse, or an id outside the user's scope, matches nothing (like the
        # API's filters), so a filter never widens the list nor tells whether the object exists.
        if not self.is_valid() and set(self.errors) - {"per_page"}:
            return deputies.none()
        data = self.cleaned_data
        if data.get("q"):
            deputies = deputies.filter(name__icontains=data["q"])
        for name in ("body", "term", "sector", "party"):
            if data.get(name):
                deputies = deputies.filter(**{name: data[name]})
        if data.get("town"):
            deputies = in_town(deputies, data["town"])
        status = data.get("status") or Deputy.Status.SERVING
        if status != STATUS_ALL:
            deputies = deputies.filter(status=status)
        if data.get("standing_committee"):
            deputies = deputies.filter(is_standing_committee_member=True)
        if data.get("district_leader"):
            deputies = deputies.filter(is_district_leader=True)
        return deputies

    def params(self) -> dict:
        """The filters as plain values, to store on an export job and re-apply in the worker."""
        return {name: value for name, value in self.data.items() if name in self.fields and name != "per_page"}


# ---- deputies -----------------------------------------------------------------------------------

_DEPUTY_FIELDS = [
    "name", "gender", "ethnicity", "birth_date", "party", "education", "occupation", "employer", "sector",
    "constituency", "delegation", "is_standing_committee_member", "is_district_leader", "public_bio",
]


class DeputyForm(BootstrapMixin, forms.ModelForm):
    """Create (with congress and term) or edit a deputy's roster fields."""

    body = forms.ModelChoiceField(label=_("Congress"), queryset=Body.objects.none())
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none())
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    class Meta:
        model = Deputy
        fields = _DEPUTY_FIELDS
        widgets = {"birth_date": DateInput(), "public_bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = visible_bodies(user)
        manageable = [body.pk for body in bodies if permissions.can_manage_deputies(user, body)]
        self.fields["body"].queryset = Body.objects.filter(pk__in=manageable).order_by("level", "name")
        self.fields["term"].queryset = Term.objects.filter(body__in=manageable).select_related("body")
        self.fields["constituency"].queryset = Constituency.objects.filter(body__in=bodies).select_related("term")
        self.fields["delegation"].queryset = Delegation.objects.filter(body__in=bodies).select_related("term")
        if self.instance.pk:
            # Congress and term are fixed once a mandate exists.
            del self.fields["body"]
            del self.fields["term"]
            for name, masked in (("id_number", self.instance.masked_id_number), ("phone", self.instance.masked_phone)):
                self.fields[name].help_text = (
                    _("Currently %(value)s. Leave empty to keep it.") % {"value": masked} if masked
                    else _("Not on file.")
                )

    def changes(self) -> dict:
        """The roster fields to pass to the service; an empty ID number or phone keeps the stored one."""
        data = {name: self.cleaned_data[name] for name in _DEPUTY_FIELDS}
        for name in ("id_number", "phone"):
            value = self.cleaned_data.get(name, "").strip()
            if value or not self.instance.pk:
                data[name] = value
        return data

    def _post_clean(self):
        # Validation is the service's (it knows about terms and the one-mandate rule); the model's
        # own full_clean() here would run without congress and term on a new mandate.
        pass


class EndMandateForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("How the mandate ended"),
        choices=[choice for choice in Deputy.Status.choices if choice[0] != Deputy.Status.SERVING],
    )
    on_date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class UnmaskForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", _("ID number")), ("phone", _("Mobile phone"))])
    reason = forms.CharField(label=_("Reason"), max_length=200)


# ---- duty activities ------------------------------------------------------------------------------


class ActivityForm(BootstrapMixin, forms.Form):
    """Staff enter an activity of one congress with its participants, by attendance."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    theme_year = forms.ModelChoiceField(label=_("Theme year"), queryset=ThemeYear.objects.none(), required=False)
    session = forms.ModelChoiceField(label=_("Meeting"), queryset=Session.objects.none(), required=False)
    points_override = forms.IntegerField(
        label=_("Points (override)"), min_value=0, max_value=100, required=False,
        help_text=_("Leave empty to use the score rule of this kind."),
    )
    present = forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=Deputy.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    leave_approved = forms.ModelMultipleChoiceField(
        label=_("Absent with approved leave"), queryset=Deputy.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    absent = forms.ModelMultipleChoiceField(
        label=_("Absent without leave"), queryset=Deputy.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, user, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = permissions.manageable_deputies(user).filter(body=body).serving().order_by("name", "pk")
        for name in ("present", "leave_approved", "absent"):
            self.fields[name].queryset = deputies
        self.fields["theme_year"].queryset = ThemeYear.objects.filter(body=body)
        self.fields["session"].queryset = (
            Session.objects.filter(term__body=body).select_related("term__body").order_by("-starts_on")
        )

    def clean(self):
        cleaned = super().clean()
        attendance = {}
        for name, value in (
            ("present", DutyParticipation.Attendance.PRESENT),
            ("leave_approved", DutyParticipation.Attendance.LEAVE_APPROVED),
            ("absent", DutyParticipation.Attendance.ABSENT),
        ):
            for deputy in cleaned.get(name) or ():
                if deputy in attendance:
                    raise forms.ValidationError(
                        _("%(deputy)s is listed under two attendances.") % {"deputy": deputy.name}
                    )
                attendance[deputy] = value
        if not attendance:
            raise forms.ValidationError(_("Name at least one participant."))
        cleaned["participants"] = attendance
        return cleaned


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(choices=DutyParticipation.Attendance.choices)
    note = forms.CharField(max_length=200, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


# ---- score rules, theme years, 双联系 --------------------------------------------------------------


class ScoreRulesForm(BootstrapMixin, forms.Form):
    """Points and yearly cap of every activity kind of one congress, as one table."""

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind in ActivityKind:
            rule = rules[kind]
            self.fields[f"{kind}_points"] = forms.IntegerField(
                label=_("Points"), min_value=0, max_value=100, initial=rule.points
            )
            self.fields[f"{kind}_cap"] = forms.IntegerField(
                label=_("Yearly cap"), min_value=0, max_value=1000, initial=rule.yearly_cap, required=False
            )
            self.kinds.append((kind, self[f"{kind}_points"], self[f"{kind}_cap"]))

    def rules(self):
        for kind in ActivityKind:
            yield kind, self.cleaned_data[f"{kind}_points"], self.cleaned_data[f"{kind}_cap"]


class ThemeYearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContactPairForm(BootstrapMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("Standing committee member"), queryset=Deputy.objects.none())
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())

    def __init__(self, *args, user, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = permissions.visible_deputies(user).filter(body=body).serving().order_by("name", "pk")
        self.fields["member"].queryset = deputies.filter(is_standing_committee_member=True)
        self.fields["deputy"].queryset = deputies


class ContactLogForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactLog.Channel.choices)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))


# ---- import and export ------------------------------------------------------------------------------


class RosterImportForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("Congress and term"), queryset=Term.objects.none())
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("One deputy per row under a header row; download the template for the columns."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        manageable = [body.pk for body in visible_bodies(user) if permissions.can_manage_deputies(user, body)]
        self.fields["term"].queryset = (
            Term.objects.filter(body__in=manageable)
            .select_related("body")
            .order_by("body__level", "body__name", "-number")
        )


class ExportForm(forms.Form):
    unmask = forms.BooleanField(required=False)
    reason = forms.CharField(max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unmask") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("A reason is required to export full ID numbers and phones."))
        return cleaned


def current_year() -> int:
    return timezone.localdate().year


def year_from(value, default: int | None = None) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default or current_year()
    return year if 2000 <= year <= 2100 else (default or current_year())

