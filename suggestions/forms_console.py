"""Forms of the suggestions console (staff and unit officers): they parse and validate; the
services decide and write. Every choice of a related object is limited to the proposal's congress
or to what the user may see."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin, DateInput
from congress.models import Committee, RoleGrant, Unit, User
from congress.models.accounts import Role
from congress.permissions import visible_bodies
from suggestions.models import Contact, ReplyClass, ReturnReason, Satisfaction
from suggestions.statistics import DIMENSIONS

COMMITMENT_ROWS = 3


def _units():
    return Unit.objects.filter(is_active=True).select_related("region").order_by("region__path", "name")


def unit_choices() -> list[tuple[int, str]]:
    """The units a proposal may be (re)assigned to, read once for a page of inline forms."""
    return list(_units().values_list("pk", "name"))


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, required=False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        if label is not None:
            self.fields["note"].label = label


# ---- staff ---------------------------------------------------------------------------------


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.ModelChoiceField(label=_("Standard reason"), queryset=ReturnReason.objects.none())
    note = forms.CharField(label=_("Note to the deputy"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    convert_to_letter = forms.BooleanField(label=_("Handle it as a letter instead"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ReturnReason.objects.filter(body=body, is_active=True)


class AssignForm(BootstrapMixin, forms.Form):
    MODES = (("lead", _("Lead unit with co-handling units")), ("split", _("Split handling (one reply per unit)")))

    mode = forms.ChoiceField(label=_("Mode"), choices=MODES, initial="lead", widget=forms.RadioSelect)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    split_units = forms.ModelMultipleChoiceField(
        label=_("Split handling units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "co_units", "split_units"):
            self.fields[name].queryset = _units()
        self.fields["mode"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("mode") == "lead":
            if not data.get("lead_unit"):
                self.add_error("lead_unit", _("Choose the lead unit."))
            data["split_units"] = []
        elif data.get("mode") == "split":
            if len(data.get("split_units") or ()) < 2:
                self.add_error("split_units", _("Split handling needs at least two units."))
            data["lead_unit"], data["co_units"] = None, []
        return data


class ReassignForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("New unit"), queryset=Unit.objects.none())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()


class MergeForm(forms.Form):
    """The similar proposal a "merge with this" button names; visibility is checked by the view."""

    with_proposal = forms.IntegerField(min_value=1)


class PaperRatingForm(BootstrapMixin, forms.Form):
    attitude = forms.ChoiceField(label=_("Attitude"), choices=Satisfaction.choices)
    result = forms.ChoiceField(label=_("Result"), choices=Satisfaction.choices)
    reason = forms.CharField(
        label=_("Deputy’s reason (required for unsatisfied)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    scan = forms.FileField(label=_("Scan of the signed paper form"), help_text=_("PDF, JPG or PNG, at most 20 MB."))
    staff_reason = forms.CharField(
        label=_("Why the form is entered by staff"), widget=forms.Textarea(attrs={"rows": 2})
    )


class KeyDesignateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    supervising_leader = forms.ModelChoiceField(label=_("Supervising leader"), queryset=User.objects.none())
    committee = forms.ModelChoiceField(label=_("Supervising committee"), queryset=Committee.objects.none())

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        leaders = RoleGrant.objects.active().filter(role=Role.LEADER, body=body).values("user_id")
        self.fields["supervising_leader"].queryset = User.objects.filter(pk__in=leaders, is_active=True)
        self.fields["supervising_leader"].label_from_instance = lambda user: user.display_name
        self.fields["committee"].queryset = Committee.objects.filter(body=body)


class KeyProgressForm(BootstrapMixin, forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class StatisticsForm(BootstrapMixin, forms.Form):
    body = forms.ModelChoiceField(label=_("Congress"), queryset=None, required=False, empty_label=None)
    year = forms.IntegerField(label=_("Year of receipt"), min_value=2000, max_value=2100, required=False)
    dimension = forms.ChoiceField(label=_("Chart by"), choices=list(DIMENSIONS.items()), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = visible_bodies(user).order_by("level", "name")

    def value(self, name, default=None):
        if self.is_valid() and self.cleaned_data.get(name):
            return self.cleaned_data[name]
        return default


# ---- unit officers ---------------------------------------------------------------------------


class ContactForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    contacted_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    people = forms.CharField(label=_("People present"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(BootstrapMixin, forms.Form):
    requested_due = forms.DateField(label=_("Requested due date"), widget=DateInput())
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class CoOpinionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 5}))
    document = forms.FileField(label=_("Document"), required=False)


class ReplyForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 8}))
    reply_class = forms.ModelChoiceField(label=_("Reply class"), queryset=ReplyClass.objects.none())
    officer = forms.CharField(label=_("Responsible officer"), max_length=64)
    document = forms.FileField(label=_("Signed document"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_class"].queryset = ReplyClass.objects.filter(body=body, is_active=True)
        for index in range(1, COMMITMENT_ROWS + 1):
            self.fields[f"commitment_{index}"] = forms.CharField(
                label=_("Commitment %(number)s") % {"number": index}, required=False, max_length=500
            )
            self.fields[f"commitment_{index}_due"] = forms.DateField(
                label=_("Due on"), required=False, widget=DateInput()
            )
        # Fields added after BootstrapMixin ran need their class here.
        for name, field in self.fields.items():
            if name.startswith("commitment_"):
                field.widget.attrs.setdefault("class", "form-control")

    def commitment_rows(self):
        return [
            (self[f"commitment_{index}"], self[f"commitment_{index}_due"]) for index in range(1, COMMITMENT_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for index in range(1, COMMITMENT_ROWS + 1):
            text, due = data.get(f"commitment_{index}"), data.get(f"commitment_{index}_due")
            if text and not due:
                self.add_error(f"commitment_{index}_due", _("Give the date by which it will be done."))
            if due and not text:
                self.add_error(f"commitment_{index}", _("Say what will be done."))
        return data

    def commitments(self) -> list[tuple[str, datetime.date]]:
        data = self.cleaned_data
        return [
            (data[f"commitment_{index}"], data[f"commitment_{index}_due"])
            for index in range(1, COMMITMENT_ROWS + 1)
            if data.get(f"commitment_{index}") and data.get(f"commitment_{index}_due")
        ]


class FulfilForm(BootstrapMixin, forms.Form):
    report = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))

