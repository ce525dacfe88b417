"""Forms of the selection and voter-report console pages, the deputy portal and the public ballot.

They parse and validate input; the services write. Uploads are checked by their first bytes
(not by the name or the browser's content type) and by size (SECURITY S16).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin, DateInput
from congress.images import validate_photo
from congress.uploads import validate_document
from deputies.models import ActivityKind, ContactLog, Nomination, Satisfaction
from deputies.services import SELF_REPORTABLE_KINDS


class PhotoField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "size") and value is not initial:
            validate_photo(value)
        return value


# ---- selection -------------------------------------------------------------------------------


class SelectionCreateForm(BootstrapMixin, forms.Form):
    body = forms.ModelChoiceField(label=_("Congress"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["year"].initial = timezone.localdate().year


class NominationForm(BootstrapMixin, forms.Form):
    deputy = forms.TypedChoiceField(label=_("Deputy"), coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputies = {deputy.pk: deputy for deputy in deputies}
        self.fields["deputy"].choices = [
            (deputy.pk, f"{deputy.name}{' · ' + str(deputy.constituency) if deputy.constituency_id else ''}")
            for deputy in deputies
        ]


class ReviewForm(BootstrapMixin, forms.Form):
    review = forms.ChoiceField(
        label=_("Review"), choices=[c for c in Nomination.Review.choices if c[0] != Nomination.Review.PENDING]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DecisionForm(BootstrapMixin, forms.Form):
    selected = forms.TypedMultipleChoiceField(label=_("Selected deputies"), coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(n.pk, n.deputy.name) for n in nominations]
        self.fields["selected"].widget.attrs["class"] = ""


# ---- reports to voters -----------------------------------------------------------------------


class VoterReportPlanForm(BootstrapMixin, forms.Form):
    deputy = forms.TypedChoiceField(label=_("Deputy"), coerce=int)
    scheduled_on = forms.DateField(label=_("Scheduled date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False)

    def __init__(self, *args, deputies, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputies = {deputy.pk: deputy for deputy in deputies}
        self.fields["deputy"].choices = [(deputy.pk, deputy.name) for deputy in deputies]
        self.fields["region"].queryset = regions


class MeetingForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    representatives_present = forms.IntegerField(label=_("Voter representatives present"), min_value=0)
    report_text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=_("Attachment (PDF or image)"), required=False, validators=[validate_document])


class QuestionForm(BootstrapMixin, forms.Form):
    asked_by = forms.CharField(label=_("Asked by"), max_length=100, required=False)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SlipsForm(BootstrapMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of ballot slips"), min_value=1, max_value=1000, initial=60)


class PaperTallyForm(BootstrapMixin, forms.Form):
    satisfied = forms.IntegerField(label=Satisfaction.SATISFIED.label, min_value=0, initial=0)
    basically_satisfied = forms.IntegerField(label=Satisfaction.BASICALLY_SATISFIED.label, min_value=0, initial=0)
    unsatisfied = forms.IntegerField(label=Satisfaction.UNSATISFIED.label, min_value=0, initial=0)
    note = forms.CharField(label=_("Note (e.g. which ballot box)"), max_length=200, required=False)


class RectificationForm(BootstrapMixin, forms.Form):
    plan = forms.CharField(label=_("Rectification plan"), widget=forms.Textarea(attrs={"rows": 6}))


class BallotForm(forms.Form):
    choice = forms.ChoiceField(choices=Satisfaction.choices, widget=forms.RadioSelect)


# ---- portal ----------------------------------------------------------------------------------


class ProfileForm(BootstrapMixin, forms.Form):
    public_bio = forms.CharField(label=_("Public profile"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                 max_length=2000)
    photo = PhotoField(label=_("Photo"), required=False)


class SelfReportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    photo = PhotoField(label=_("Photo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind.value, kind.label) for kind in ActivityKind if kind in SELF_REPORTABLE_KINDS
        ]
        self.fields["date"].initial = timezone.localdate()


class ContactLogForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactLog.Channel.choices)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
