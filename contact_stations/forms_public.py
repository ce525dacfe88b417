"""Forms of the public pages: an opinion from a QR link, the SMS code, tracking and rating.

They parse and validate; the services write. Photos are checked by their first bytes (not by the
name or the browser's content type) and by size (SECURITY S16).
"""


from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congress.forms import BootstrapMixin
from congress.images import validate_photo
from contact_stations.models import Opinion, Rating
from contact_stations.services.opinions import CONTENT_MAX_LENGTH, MAX_PHOTOS
from deputies.models import validate_phone


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images (JPEG, PNG or WebP), each at most 5 MB; cleans to (file, type) pairs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Attach at most %(count)s photos.") % {"count": MAX_PHOTOS}, code="too_many")
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            # Typed by its bytes (Pillow), at most 5 MB, renamed to a random name (SECURITY S16).
            content_type = validate_photo(upload)
            cleaned.append((upload, content_type))
        return cleaned


def _phone(value: str) -> str:
    phone = "".join((value or "").split())
    if phone:
        validate_phone(phone)
    return phone


class OpinionForm(BootstrapMixin, forms.Form):
    content = forms.CharField(
        label=_("Your opinion"),
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the matter: what happens, where, since when."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Opinion.Category.choices, initial=Opinion.Category.OTHER)
    place = forms.CharField(label=_("Place concerned"), max_length=200, required=False)
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Optional: up to 3 photos, JPEG, PNG or WebP, 5 MB each."),
    )
    citizen_name = forms.CharField(label=_("Your name"), max_length=64, required=False)
    citizen_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Optional. Leave it if you want to hear the answer and rate it; we verify it by SMS."),
    )
    sms_code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my name and phone number are used only to handle this opinion and to ask me "
                "about the answer, and are deleted after the retention period."),
        required=False,
    )

    def clean_citizen_phone(self):
        return _phone(self.cleaned_data.get("citizen_phone", ""))

    def clean_sms_code(self):
        return "".join(self.cleaned_data.get("sms_code", "").split())

    def clean(self):
        cleaned = super().clean()
        name, phone = cleaned.get("citizen_name", "").strip(), cleaned.get("citizen_phone", "")
        if (name or phone) and not cleaned.get("consent"):
            # PIPL art. 13–14: contact details are processed only with the citizen's consent.
            self.add_error("consent", _("Agree to the processing of your contact details, or leave them out."))
        if phone and not cleaned.get("sms_code"):
            self.add_error("sms_code", _("Enter the code we sent to your phone, or leave the phone out."))
        return cleaned


class PhoneForm(forms.Form):
    """The phone part of the opinion form, when the citizen asks for a code."""

    citizen_phone = forms.CharField(max_length=20)

    def clean_citizen_phone(self):
        return _phone(self.cleaned_data["citizen_phone"])


class TrackForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class RatingForm(BootstrapMixin, forms.Form):
    rating = forms.ChoiceField(label=_("Are you satisfied with the answer?"), choices=Rating.choices,
                               widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why? (required if you are not satisfied)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rating") == Rating.UNSATISFIED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell us why you are not satisfied."))
        return cleaned
