"""Forms of the deputy portal's station pages: an opinion the deputy brings back from a visit."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin, DateInput
from contact_stations.models import Opinion, Station
from contact_stations.services.opinions import CONTENT_MAX_LENGTH
from deputies.models import validate_phone


class VisitOpinionForm(BootstrapMixin, forms.Form):
    """走出去: what a citizen told the deputy on a visit. The station is optional (one of the
    deputy's own); without it the opinion belongs to the deputy's constituency."""

    content = forms.CharField(
        label=_("Opinion"), max_length=CONTENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Opinion.Category.choices, initial=Opinion.Category.OTHER)
    place = forms.CharField(label=_("Place concerned"), max_length=200, required=False)
    received_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=Station.objects.none(), required=False,
        empty_label=_("None: my constituency"),
    )
    citizen_name = forms.CharField(label=_("Citizen’s name"), max_length=64, required=False)
    citizen_phone = forms.CharField(
        label=_("Citizen’s mobile phone"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("The citizen agreed that their contact details are used to handle this opinion."), required=False
    )

    def __init__(self, *args, stations, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations

    def clean_citizen_phone(self):
        phone = "".join(self.cleaned_data.get("citizen_phone", "").split())
        if phone:
            validate_phone(phone)
        return phone

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
