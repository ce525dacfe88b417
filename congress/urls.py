"""The root URL configuration: one list per interface, each app contributing its own patterns.

`/` public site, `/accounts/` login, `/console/` staff console, `/portal/` deputy portal,
`/api/v1/` REST API, `/admin/` data repair for superusers only. Every view carries a declared
access policy (congress.access); tests/congress/test_url_inventory.py enforces it.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

import contact_stations.api
import contact_stations.urls
import deputies.api
import deputies.urls
import suggestions.urls
import supervision.urls
from congress import access, api
from congress.views import (
    accounts,
    api_accounts,
    audit_trail,
    console,
    dashboard,
    notifications,
    portal,
    public,
    two_factor,
)

APPS = {
    "deputies": deputies.urls,
    "suggestions": suggestions.urls,
    "supervision": supervision.urls,
    "stations": contact_stations.urls,
}


def _interface(own_patterns, attribute):
    patterns = list(own_patterns)
    for prefix, module in APPS.items():
        app_patterns = getattr(module, attribute)
        if app_patterns:
            patterns.append(path(f"{prefix}/", include((app_patterns, prefix))))
    return patterns


urlpatterns = [
    path("", include((_interface(public.urlpatterns, "public_patterns"), "public"))),
    path("accounts/", include((accounts.urlpatterns + two_factor.urlpatterns, "accounts"))),
    path(
        "console/",
        include(
            (
                _interface(
                    console.urlpatterns + dashboard.urlpatterns + api_accounts.urlpatterns
                    + notifications.console_patterns + audit_trail.urlpatterns,
                    "console_patterns",
                ),
                "console",
            )
        ),
    ),
    path(
        "portal/",
        include((_interface(portal.urlpatterns + notifications.portal_patterns, "portal_patterns"), "portal")),
    ),
    path(
        "api/v1/",
        include(
            (
                _interface(api.urlpatterns, "api_patterns")
                # DESIGN §7 names `activities` as a resource of its own, beside `deputies`.
                + [path("activities/", include((deputies.api.activities_api_patterns, "activities")))]
                + [path("opinions/", include((contact_stations.api.opinions_api_patterns, "opinions")))],
                "api",
            )
        ),
    ),
    # The language switch (POST, CSRF-protected); Chinese is the default, English a choice.
    path("i18n/setlang/", access.public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
