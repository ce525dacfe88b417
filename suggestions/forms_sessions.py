"""Forms of the face-to-face session pages: plan a session, put a proposal on its agenda.

Every choice is limited to the session's congress: its units, its serving deputies, the members
and leaders of its standing committee.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin
from congress.models import RoleGrant, Unit, User
from congress.models.accounts import Role
from deputies.models import Deputy
from suggestions.models import Proposal


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SessionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput(),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), max_length=200)
    units = forms.ModelMultipleChoiceField(label=_("Units attending"), queryset=Unit.objects.none(), required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    deputies = forms.ModelMultipleChoiceField(label=_("Deputies invited"), queryset=Deputy.objects.none(),
                                              required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    members = forms.ModelMultipleChoiceField(label=_("Standing committee members invited"),
                                             queryset=User.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(
            is_active=True, region__path__startswith=body.region.path
        ).order_by("region__path", "name")
        self.fields["deputies"].queryset = Deputy.objects.serving().filter(body=body).order_by("name", "pk")
        members = RoleGrant.objects.active().filter(role__in=(Role.MEMBER, Role.LEADER), body=body).values("user_id")
        self.fields["members"].queryset = User.objects.filter(pk__in=members, is_active=True).order_by("pk")
        self.fields["members"].label_from_instance = lambda user: user.display_name
        if not self.is_bound and "starts_at" not in self.initial:
            self.initial["starts_at"] = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


class AgendaAddForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Proposal number"), max_length=32)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        proposal = Proposal.objects.filter(body=self.body, number=number).first()
        if proposal is None:
            raise forms.ValidationError(_("No proposal of this congress has the number %(number)s."),
                                        params={"number": number})
        self.cleaned_data["proposal"] = proposal
        return number
