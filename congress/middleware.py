"""Session timeouts and the security headers Django does not set by itself (SECURITY S10, S11)."""

import secrets
import time

from django.conf import settings
from django.contrib.auth import logout

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
