"""Forms of the supervision pages. They parse and validate; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.forms import BootstrapMixin
from congress.models import Body, Committee, Session, Unit, User
from deputies.models import Deputy, validate_phone
from supervision.models import (
    AnnualPlan,
    Choice,
    LetterVisit,
    RectificationItem,
    SupervisionActivity,
    TopicKind,
    TopicProposal,
)


def _phone(value: str) -> str:
    phone = "".join((value or "").split())
    if phone:
        validate_phone(phone)
    return phone


class ProposalForm(BootstrapMixin, forms.Form):
    """What anyone proposing a topic writes: a title, why it is needed, the problem seen."""

    title = forms.CharField(label=_("Topic"), max_length=200)
    necessity = forms.CharField(label=_("Why it is needed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    problem = forms.CharField(label=_("Problem seen"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class PublicProposalForm(ProposalForm):
    name = forms.CharField(label=_("Your name"), max_length=64, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Optional. We verify it by SMS and use it only to tell you whether the topic was adopted."),
    )
    sms_code = forms.CharField(
        label=_("Verification code"), max_length=6, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_phone(self):
        return _phone(self.cleaned_data.get("phone", ""))

    def clean_sms_code(self):
        return "".join(self.cleaned_data.get("sms_code", "").split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("phone") and not cleaned.get("sms_code"):
            self.add_error("sms_code", _("Enter the code we sent to your phone, or leave the phone out."))
        return cleaned


class PhoneForm(forms.Form):
    phone = forms.CharField(max_length=20)

    def clean_phone(self):
        phone = _phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(_("Enter a mobile phone number."))
        return phone


class SolicitationForm(BootstrapMixin, forms.Form):
    body = forms.ModelChoiceField(label=_("Congress"), queryset=Body.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    announcement = forms.CharField(label=_("Announcement"), max_length=4000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class DeclineForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason the proposer will be told"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(BootstrapMixin, forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=TopicProposal.objects.none())

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = TopicProposal.objects.filter(
            body=proposal.body, state__in=(TopicProposal.State.SUBMITTED, TopicProposal.State.ADOPTED)
        ).exclude(pk=proposal.pk)


class AdoptForm(BootstrapMixin, forms.Form):
    plan = forms.ModelChoiceField(label=pgettext_lazy("supervision plan", "Plan"), queryset=AnnualPlan.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TopicKind.choices)
    title = forms.CharField(label=_("Topic title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the proposal's title."))

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = AnnualPlan.objects.filter(
            body=proposal.body, state__in=AnnualPlan.EDITABLE_STATES
        )


class PlanCreateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class TopicForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TopicKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_committee = forms.ModelChoiceField(label=_("Lead committee"), queryset=Committee.objects.none(),
                                            required=False)
    supervised_units = forms.ModelMultipleChoiceField(label=_("Supervised units"), queryset=Unit.objects.none(),
                                                      required=False)
    meeting_date = forms.DateField(label=_("Meeting date"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = Committee.objects.filter(body=plan.body)
        self.fields["supervised_units"].queryset = Unit.objects.filter(is_active=True).order_by("name")


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TallyForm(BootstrapMixin, forms.Form):
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, initial=0)
    basically = forms.IntegerField(label=_("Basically satisfied"), min_value=0, initial=0)
    unsatisfied = forms.IntegerField(label=_("Unsatisfied"), min_value=0, initial=0)


class UnitReportForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class OpinionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    units = forms.ModelMultipleChoiceField(label=_("Units"),
                                           queryset=Unit.objects.filter(is_active=True).order_by("name"))


class ImplementationReportForm(BootstrapMixin, forms.Form):
    """A unit's report on how it implemented a deliberation opinion, once per round."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class LedgerUpdateForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RectificationItem.Status.choices)
    progress = forms.CharField(label=_("Progress"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your rating"), choices=Choice.choices, widget=forms.RadioSelect)


class LedgerAddForm(BootstrapMixin, forms.Form):
    item = forms.CharField(label=_("Item"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units


class ActivityForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionActivity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)


# ---- letters and visits ------------------------------------------------------------------------


class LetterRegisterForm(BootstrapMixin, forms.Form):
    body = forms.ModelChoiceField(label=_("Congress"), queryset=Body.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=LetterVisit.Kind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.CharField(label=_("Theme"), max_length=64,
                            help_text=_("A short theme, the same words for the same matter: they are counted."))
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("Petitioner’s name"), max_length=64, required=False)
    phone = forms.CharField(label=_("Petitioner’s phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                            help_text=_("Stored encrypted and shown masked."))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean_phone(self):
        return _phone(self.cleaned_data.get("phone", ""))


class LetterRouteForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.filter(is_active=True).order_by("name"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class LetterAnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))


# ---- special inquiries -------------------------------------------------------------------------


class InquiryForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    meeting = forms.ModelChoiceField(label=_("Standing committee meeting"), queryset=Session.objects.none(),
                                     required=False)
    report_due = forms.DateField(label=_("Handling report due"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Session.objects.filter(
            term__body=body, kind=Session.Kind.STANDING_COMMITTEE
        ).select_related("term").order_by("-starts_on")


class InquiryQuestionForm(BootstrapMixin, forms.Form):
    asked_by = forms.ModelChoiceField(label=_("Asked by a member"), queryset=User.objects.none(), required=False)
    asked_by_deputy = forms.ModelChoiceField(label=_("Asked by a deputy"), queryset=Deputy.objects.none(),
                                             required=False)
    question = forms.CharField(label=_("Question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("Unit answering"), queryset=Unit.objects.filter(is_active=True)
                                  .order_by("name"), required=False)
    answering_official = forms.CharField(label=_("Answering official"), max_length=100, required=False)
    answer = forms.CharField(label=_("Summary of the answer"), max_length=8000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, body, member_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_by"].queryset = User.objects.filter(pk__in=member_ids).order_by("full_name", "username")
        self.fields["asked_by_deputy"].queryset = Deputy.objects.of_body(body).serving().order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("asked_by") and cleaned.get("asked_by_deputy"):
            raise forms.ValidationError(_("A question is asked by a member or by a deputy, not both."))
        return cleaned


class InquiryDueForm(BootstrapMixin, forms.Form):
    due_on = forms.DateField(label=_("Handling report due"), widget=forms.DateInput(attrs={"type": "date"}))


class InquiryReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Handling report"), max_length=20000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)


# ---- special work evaluations ------------------------------------------------------------------


class EvaluationForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Department evaluated"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    members = forms.ModelMultipleChoiceField(label=_("Evaluation group: members"), queryset=User.objects.none(),
                                             required=False)
    deputies = forms.ModelMultipleChoiceField(label=_("Evaluation group: deputies"), queryset=Deputy.objects.none(),
                                              required=False)

    def __init__(self, *args, body, member_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")
        self.fields["members"].queryset = User.objects.filter(pk__in=member_ids).order_by("full_name", "username")
        self.fields["deputies"].queryset = Deputy.objects.of_body(body).serving().order_by("name")


class InviteDeputiesForm(BootstrapMixin, forms.Form):
    GROUP, ALL = "group", "all"
    who = forms.ChoiceField(label=_("Send to"), choices=[
        (GROUP, _("The deputies of the evaluation group")), (ALL, _("Every serving deputy of the congress")),
    ])


class CitizenLinksForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of links"), min_value=1, max_value=500)


class TextForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))


class QuestionnaireForm(forms.Form):
    """One radio question per dimension of the evaluation, and a free comment."""

    comment = forms.CharField(label=_("Anything else you want to tell us"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension_names = []
        for code, label in dimensions:
            name = f"d_{code}"
            self.fields[name] = forms.ChoiceField(label=label, choices=Choice.choices, widget=forms.RadioSelect)
            self.dimension_names.append((code, name))
        self.order_fields([name for _code, name in self.dimension_names] + ["comment"])

    def ratings(self) -> dict[str, str]:
        return {code: self.cleaned_data[name] for code, name in self.dimension_names}

    def dimension_fields(self):
        return [self[name] for _code, name in self.dimension_names]
