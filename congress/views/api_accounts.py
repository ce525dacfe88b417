"""Console pages for the API accounts of township offices' own systems (staff admins only).

A staff admin creates an account with one role in one region or unit, and issues, rotates and
revokes its tokens. A token's key (and a new account's password) is shown once, in the answer
to the POST that made it: it is never put in a URL, a session or a message, and only its digest
is stored.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import access, permissions, services
from congress.forms import BootstrapMixin
from congress.models import ApiToken, RoleGrant
from congress.models.accounts import Role

# Roles an office system may act in: those scoped to a region or a unit.
API_ROLES = [role for role in Role if set(permissions.ROLE_SCOPES[role]) & {"region", "unit"}]


class ApiAccountForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=gettext_lazy("The office system logs in with this name, e.g. api-datong."),
    )
    full_name = forms.CharField(label=gettext_lazy("System or office"), max_length=64, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[(role.value, role.label) for role in API_ROLES])
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("For a township officer or a station keeper: what the system may see."),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("For a unit officer."),
    )
    token_name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Where the key will be used, e.g. the office's sync server."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An admin can only scope an account to what the admin may see.
        self.fields["region"].queryset = permissions.visible_regions(user).order_by("path")
        self.fields["unit"].queryset = permissions.visible_units(user).order_by("region__path", "name")


class TokenIssueForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=64, required=False)


def _api_accounts(user):
    """API accounts the admin may manage, with their active grants and all their tokens."""
    grants = RoleGrant.objects.active().select_related("region", "unit").order_by("role")
    return (
        permissions.visible_users(user)
        .filter(is_api_account=True)
        .prefetch_related(
            Prefetch("role_grants", queryset=grants, to_attr="active_grants"),
            Prefetch("api_tokens", queryset=ApiToken.objects.order_by("-created_at"), to_attr="token_list"),
        )
        .order_by("username")
    )


def _show_key(request, *, account, token, key, password=""):
    return render(
        request,
        "console/congress/api_accounts_key.html",
        {"account": account, "token": token, "key": key, "password": password},
    )


@access.require(permissions.can_manage_users)
def api_account_list(request):
    page = Paginator(_api_accounts(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "console/congress/api_accounts.html",
        {"page_obj": page, "accounts": page.object_list, "issue_form": TokenIssueForm()},
    )


@access.require(permissions.can_manage_users)
def api_account_create(request):
    form = ApiAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password, token, key = services.api_account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                region=data["region"],
                unit=data["unit"],
                token_name=data["token_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _show_key(request, account=account, token=token, key=key, password=password)
    return render(request, "console/congress/api_accounts_form.html", {"form": form})


@access.require(permissions.can_manage_users)
@require_POST
def api_account_token_issue(request, pk):
    account = get_object_or_404(permissions.visible_users(request.user).filter(is_api_account=True), pk=pk)
    form = TokenIssueForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    token, key = services.api_token_issue(actor=request.user, user=account, name=name)
    return _show_key(request, account=account, token=token, key=key)


def _token(request, pk):
    accounts = permissions.visible_users(request.user).filter(is_api_account=True)
    return get_object_or_404(ApiToken.objects.select_related("user").filter(user__in=accounts), pk=pk)


@access.require(permissions.can_manage_users)
@require_POST
def api_account_token_rotate(request, pk):
    token = _token(request, pk)
    if token.revoked_at is not None:
        messages.error(request, _("Token %(prefix)s… is revoked; issue a new one instead.") % {"prefix": token.prefix})
        return redirect("console:api_accounts")
    new_token, key = services.api_token_rotate(actor=request.user, token=token)
    return _show_key(request, account=token.user, token=new_token, key=key)


@access.require(permissions.can_manage_users)
@require_POST
def api_account_token_revoke(request, pk):
    token = _token(request, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request,
        _("Token %(prefix)s… of %(account)s is revoked; requests with it now fail.")
        % {"prefix": token.prefix, "account": token.user.get_username()},
    )
    return redirect("console:api_accounts")


urlpatterns = [
    path("api-accounts/", api_account_list, name="api_accounts"),
    path("api-accounts/new/", api_account_create, name="api_account_create"),
    path("api-accounts/<int:pk>/tokens/new/", api_account_token_issue, name="api_account_token_issue"),
    path("api-accounts/tokens/<int:pk>/rotate/", api_account_token_rotate, name="api_account_token_rotate"),
    path("api-accounts/tokens/<int:pk>/revoke/", api_account_token_revoke, name="api_account_token_revoke"),
]
