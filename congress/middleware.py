"""Session timeouts, security headers Django does not set by itself (SECURITY S10, S11), and the UI language."""

import secrets
import time

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from congress import security_log


class SessionTimeoutMiddleware:
    """Ends a session after 30 idle minutes or 12 hours in all, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.setdefault("started_at", now)
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                security_log.log("session_expired", request=request)
                logout(request)
            else:
                request.session["last_seen"] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy with a per-request nonce, and no-store on authenticated pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        nonce = request.csp_nonce
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            f"style-src 'self' 'nonce-{nonce}'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
        )
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages behind a login may carry personal data (SECURITY S19).
            response["Cache-Control"] = "no-store"
        return response


class PasswordChangeRequiredMiddleware:
    """Sends a user who must change their password to the change form before anything else.

    Set for a random first password or a reset by an administrator (SECURITY S9), and when the
    graded profile's 90-day expiry has passed (S6). Only the change
    form itself, logout and static files stay reachable, so the temporary password is good for
    nothing but choosing a new one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and (user.must_change_password or user.password_expired()):
            change_url = reverse("accounts:password_change")
            allowed = (change_url, reverse("accounts:logout"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect_to_login(request.get_full_path(), change_url, REDIRECT_FIELD_NAME)
        return self.get_response(request)


class LanguageMiddleware:
    """Simplified Chinese for everyone unless the person chose English (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC or a
    phone set to English would show an English platform to Chinese staff and citizens; here the
    institution's language is the default and English is an explicit choice (set_language view).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SecondFactorRequiredMiddleware:
    """Office staff, administrators and auditors confirm the login with a TOTP code (SECURITY S8).

    Until the session is verified only the second-factor pages, the password change form (the
    forced change comes first, see PasswordChangeRequiredMiddleware), logout and static files
    answer. Someone holding only the password cannot enrol a new device: enrolment is offered
    only to an account that has no confirmed device yet.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            from congress import two_factor

            if two_factor.requires_second_factor(user):
                allowed = (
                    reverse("accounts:otp_verify"),
                    reverse("accounts:otp_setup"),
                    reverse("accounts:password_change"),
                    reverse("accounts:logout"),
                    settings.STATIC_URL,
                )
                if not request.path.startswith(allowed):
                    target = "accounts:otp_verify" if two_factor.has_confirmed_device(user) else "accounts:otp_setup"
                    return redirect_to_login(request.get_full_path(), reverse(target), REDIRECT_FIELD_NAME)
        return self.get_response(request)
