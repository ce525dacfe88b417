"""Declared access policies for every URL (SECURITY S1).

Each view is wrapped by exactly one of these decorators, which both enforce the policy and tag
the view with `access_policy`; `tests/congress/test_url_inventory.py` walks the URL resolver and
fails on any pattern whose view carries no tag. A refused request is logged as a security event.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from congress import security_log

PUBLIC = "public"
AUTHENTICATED = "authenticated"
PREDICATE = "predicate"
API = "api"  # DRF views: the view's permission classes decide (401/403 for anonymous)


def _tag(view, policy, detail=""):
    view.access_policy = policy
    view.access_detail = detail
    return view


def public(view):
    """Open to anyone, including anonymous citizens."""
    return _tag(view, PUBLIC)


def login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _tag(wrapper, AUTHENTICATED)


def require(predicate):
    """Logged in and `predicate(user)` true; otherwise a login redirect or a logged 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                security_log.permission_denied(request, detail=predicate.__name__)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _tag(wrapper, PREDICATE, predicate.__name__)

    return decorator


def api(view):
    """A DRF view: authentication and permission classes apply (anonymous gets 401/403)."""
    return _tag(view, API)
