"""The second-factor pages: enrol a TOTP app, confirm a login with a code (SECURITY S8)."""

import base64

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from congress import access, ratelimit, security_log, two_factor
from congress.forms import BootstrapMixin
from congress.qr import qr_svg
from congress.views.accounts import layout_for

VERIFY_RATE = "10/10m"


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _ratelimit_key(request) -> str:
    return f"{request.user.pk}:{ratelimit.client_key(request)}"


@ratelimit.limit("accounts.otp_setup", rate=VERIFY_RATE, key=_ratelimit_key)
def setup(request):
    """Enrolment: the secret as a QR code and as text, confirmed by the first code from the app."""
    user = request.user
    if two_factor.has_confirmed_device(user):
        return redirect("accounts:otp_verify")
    device = two_factor.totp_enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_enrolment_confirm(user=user, token=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            security_log.log("second_factor_enrolled", request=request, username=user.get_username())
            return render(request, "accounts/otp_backup_codes.html", {
                "layout": layout_for(user), "codes": codes, "next": _next(request) or reverse("accounts:landing"),
            })
        form.add_error("code", _("The code is not right. Check the time on your phone and try the newest code."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_setup.html", {
        "form": form, "secret": secret, "qr": qr_svg(device.config_url, label=_("QR code for the authenticator app")),
        "next": _next(request),
    })


@ratelimit.limit("accounts.otp_verify", rate=VERIFY_RATE, key=_ratelimit_key)
def verify(request):
    user = request.user
    if not two_factor.has_confirmed_device(user):
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.second_factor_check(user=user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            security_log.log("second_factor_ok", request=request, username=user.get_username())
            left = two_factor.unused_backup_codes(user)
            if left <= 3:
                messages.warning(request, _("You have %(count)d backup codes left. Make new ones.") % {"count": left})
            return redirect(_next(request) or "accounts:landing")
        security_log.log("second_factor_failed", request=request, username=user.get_username())
        form.add_error("code", _("The code is not right, or it was used already."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


def backup_codes(request):
    """New backup codes for a verified session (the old ones stop working)."""
    if request.method != "POST":
        return render(request, "accounts/otp_backup_codes.html", {"layout": layout_for(request.user), "confirm": True})
    codes = two_factor.backup_codes_regenerate(user=request.user)
    return render(request, "accounts/otp_backup_codes.html", {
        "layout": layout_for(request.user), "codes": codes, "next": reverse("accounts:landing"),
    })


def _verified(user) -> bool:
    return user.is_verified()


urlpatterns = [
    path("2fa/setup/", access.login_required(setup), name="otp_setup"),
    path("2fa/verify/", access.login_required(verify), name="otp_verify"),
    path("2fa/backup-codes/", access.require(_verified)(backup_codes), name="otp_backup_codes"),
]
