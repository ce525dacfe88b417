"""Forms of the institution's console pages: they parse and validate; services write.

Every choice of a related object (a parent region, a body, a unit) is limited to what the user
may see, so a form cannot be used to reach across a scope.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress import permissions
from congress.masking import mask_phone
from congress.models import Body, BodyRules, Committee, Region, Session, Term, Unit, User
from congress.models.accounts import Role


class BootstrapMixin:
    """Gives every widget the Bootstrap 5 class it needs, so templates render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["parent", "code", "name", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = permissions.visible_regions(user).order_by("path")
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        # Only someone whose scope is the whole platform may add a region at the top of the tree.
        self.fields["parent"].required = permissions.region_paths(user) is not None
        self.fields["parent"].label_from_instance = lambda region: "　" * region.depth + region.name


class BodyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "short_name", "level", "region", "parent", "standing_organ_name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = permissions.visible_regions(user).order_by("path")
        parents = permissions.visible_bodies(user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class ParentBoundMixin:
    """A form for a child record whose parent comes from the URL, not from a field.

    ModelForm skips model constraints on fields the form does not show, which would let a second
    current term or a duplicate meeting number through to an IntegrityError; the parent is put
    back into the checks here.
    """

    parent_field = ""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard(self.parent_field)
        return exclude


class TermForm(ParentBoundMixin, BootstrapMixin, forms.ModelForm):
    parent_field = "body"

    class Meta:
        model = Term
        fields = ["number", "starts_on", "ends_on", "is_current"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        # Set before validation so that the per-body unique constraints are checked.
        self.instance.body = body


class SessionForm(ParentBoundMixin, BootstrapMixin, forms.ModelForm):
    parent_field = "term"

    class Meta:
        model = Session
        fields = ["kind", "number", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, term: Term, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.term = term


class CommitteeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["body", "name", "kind", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = permissions.visible_bodies(user)


class UnitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "region", "parent", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = permissions.visible_regions(user).order_by("path")
        parents = permissions.visible_units(user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class UserCreateForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)


class UserEditForm(BootstrapMixin, forms.ModelForm):
    """Name and email, and a new phone number; the stored one is only ever shown masked (S17)."""

    phone = forms.CharField(label=_("New mobile phone"), max_length=20, required=False)

    class Meta:
        model = User
        fields = ["full_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = mask_phone(self.instance.phone)
        self.fields["phone"].help_text = (
            _("Currently %(phone)s. Leave empty to keep it.") % {"phone": current} if current
            else _("No phone number on file.")
        )

    def save(self, commit=True):
        if self.cleaned_data.get("phone"):
            self.instance.phone = self.cleaned_data["phone"]
        return super().save(commit=commit)


class UserDeactivateForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RoleGrantForm(BootstrapMixin, forms.Form):
    """A role and its scope; which scope a role takes is checked by `services.role_grant`."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    body = forms.ModelChoiceField(label=_("Congress"), queryset=Body.objects.none(), required=False)
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = permissions.visible_bodies(user)
        self.fields["committee"].queryset = permissions.visible_committees(user).filter(is_active=True)
        self.fields["unit"].queryset = permissions.visible_units(user).filter(is_active=True)
        self.fields["region"].queryset = permissions.visible_regions(user).order_by("path")
        self.fields["region"].label_from_instance = lambda region: "　" * region.depth + region.name
        if not (user.is_superuser or permissions.has_role(user, Role.SYSTEM_ADMIN)):
            # Only a system administrator hands out the platform-wide role.
            self.fields["role"].choices = [choice for choice in Role.choices if choice[0] != Role.SYSTEM_ADMIN]

    def scope(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("body", "committee", "unit", "region")}


# Every number of the rules table; a rule added to the model shows up on the form by itself.
RULE_FIELDS = [
    field.name
    for field in BodyRules._meta.concrete_fields
    if field.editable and not field.primary_key and field.name != "body"
]


class BodyRulesForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = BodyRules
        fields = RULE_FIELDS


class WorkingDayOverrideForm(BootstrapMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    is_working_day = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[("1", _("a working day (make-up workday)")), ("0", _("a day off (holiday)"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=100)


class UnmaskForm(BootstrapMixin, forms.Form):
    """The reason for showing personal data in full (SECURITY S18); see congress.unmasking."""

    reason = forms.CharField(label=_("Reason"), max_length=200)
