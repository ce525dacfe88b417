"""Forms of the deputy's portal: filing a proposal, rating a reply, asking for a meeting.

They parse and validate input; the services decide and write. Attachments are checked by the
service (`validate_upload`: type by extension and first bytes, size), and here only so that a bad
file is named on the form instead of after the proposal is written.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin
from congress.models import Session
from deputies.models import Deputy
from suggestions import services
from suggestions.models import Proposal, Satisfaction
from suggestions.selectors_portal import categories_for

MAX_ATTACHMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ProposalFileForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices, initial=Proposal.Kind.SUGGESTION)
    session = forms.ModelChoiceField(
        label=_("Filed at"), queryset=Session.objects.none(), required=False,
        empty_label=_("Between sessions (recess)"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    is_confidential = forms.BooleanField(
        label=_("Confidential (never shown on the public pages)"), required=False
    )
    co_signers = forms.ModelMultipleChoiceField(
        label=_("Co-signers"), queryset=Deputy.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, deputy: Deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputy = deputy
        self.fields["session"].queryset = Session.objects.filter(
            term_id=deputy.term_id, kind=Session.Kind.CONGRESS
        ).order_by("-number")
        self.fields["category"].queryset = categories_for(deputy.body)
        # Any serving deputy of the same congress and term; the page offers them through a search.
        self.fields["co_signers"].queryset = (
            Deputy.objects.serving().filter(body_id=deputy.body_id, term_id=deputy.term_id).exclude(pk=deputy.pk)
        )
        self.fields["attachments"].help_text = _("PDF, Word, Excel, JPEG or PNG; at most 20 MB each.")

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        for upload in uploads:
            try:
                services.validate_upload(upload)
            except ValidationError as error:
                raise ValidationError(f"{upload.name}: {' '.join(error.messages)}") from error
        return uploads


SATISFACTION_WIDGET = forms.RadioSelect(attrs={"class": "form-check-input"})


class RatingForm(forms.Form):
    """Attitude and result separately; a reason is required when either is 不满意 (DESIGN §4)."""

    attitude = forms.ChoiceField(label=_("Attitude of the handling unit"), choices=Satisfaction.choices,
                                 widget=SATISFACTION_WIDGET)
    result = forms.ChoiceField(label=_("Result of the handling"), choices=Satisfaction.choices,
                               widget=SATISFACTION_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Required when you are unsatisfied with the attitude or the result."),
    )

    def clean(self):
        cleaned = super().clean()
        unsatisfied = Satisfaction.UNSATISFIED in (cleaned.get("attitude"), cleaned.get("result"))
        if unsatisfied and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for an unsatisfied rating."))
        return cleaned


class MeetingRequestForm(forms.Form):
    note = forms.CharField(
        label=_("What you would like to discuss"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
