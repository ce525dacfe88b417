"""Template context shared by every layout: the navigation the user's roles allow.

Everything here is lazy: a page that never shows the sidebar or the inbox badge (the public
site, an htmx fragment) runs no query for them.
"""

from dataclasses import dataclass
from functools import cache, cached_property
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from congress import calendar, permissions
from congress.models import Notification


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active: bool = False


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


# (section label, [(label, url name, icon, predicate, url names that mark the item active)])
CONSOLE_SECTIONS = (
    (
        _("Overview"),
        (
            (_("Dashboard"), "console:home", "speedometer2", permissions.can_use_console, ()),
            (_("Leaders' dashboard"), "console:leaders_dashboard", "graph-up", permissions.can_view_leaders_dashboard,
             ()),
            (_("Notifications"), "console:notifications", "bell", permissions.can_use_console, ()),
        ),
    ),
    (
        _("Institution"),
        (
            (_("Regions"), "console:regions", "diagram-3", permissions.can_use_console, ("region_",)),
            (_("Congresses and terms"), "console:bodies", "bank", permissions.can_use_console,
             ("body_", "term_", "session_")),
            (_("Committees"), "console:committees", "people", permissions.can_use_console, ("committee_",)),
            (_("Handling units"), "console:units", "building", permissions.can_use_console, ("unit_",)),
            (_("Rules"), "console:rules", "sliders", permissions.can_use_console, ("rules_",)),
            (_("Working-day calendar"), "console:calendar", "calendar3", permissions.can_use_console, ("calendar_",)),
        ),
    ),
    (
        _("Administration"),
        (
            (_("Users and roles"), "console:users", "person-gear", permissions.can_manage_users, ("user_", "grant_")),
            (_("API accounts"), "console:api_accounts", "key", permissions.can_manage_users, ("api_account",)),
            (_("Audit trail"), "console:audit_trail", "journal-check", permissions.can_read_audit, ("audit_",)),
        ),
    ),
)


@cache
def console_sections():
    """The institution's sections, then each app's, from its `navigation.CONSOLE_SECTIONS`."""
    app_sections = []
    for config in apps.get_app_configs():
        if config.name != "congress" and module_has_submodule(config.module, "navigation"):
            app_sections.extend(import_module(f"{config.name}.navigation").CONSOLE_SECTIONS)
    overview, *institution = CONSOLE_SECTIONS
    return (overview, *app_sections, *institution)


def _reverse_or_none(name: str) -> str | None:
    # Pages of apps that are still being built may not be routed yet; their items are left out.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class Navigation:
    """What the layouts need to know about the current user, computed on first use."""

    def __init__(self, request):
        self.request = request
        self.user = getattr(request, "user", None)

    @property
    def authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    def _current(self) -> tuple[str, str]:
        match = getattr(self.request, "resolver_match", None)
        if match is None:
            return "", ""
        return match.namespace, match.url_name or ""

    @cached_property
    def console_sections(self) -> list[NavSection]:
        if not self.authenticated:
            return []
        namespace, current = self._current()
        current_full = f"{namespace}:{current}"
        sections = []
        for section_label, entries in console_sections():
            items = []
            for label, name, icon, predicate, prefixes in entries:
                if not predicate(self.user):
                    continue
                url = _reverse_or_none(name)
                if url is None:
                    continue
                active = current_full == name or (
                    namespace == name.rsplit(":", 1)[0] and any(current.startswith(prefix) for prefix in prefixes)
                )
                items.append(NavItem(str(label), url, icon, active))
            if items:
                sections.append(NavSection(str(section_label), tuple(items)))
        return sections

    @cached_property
    def can_use_console(self) -> bool:
        return self.authenticated and permissions.can_use_console(self.user)

    @cached_property
    def can_use_portal(self) -> bool:
        return self.authenticated and permissions.can_use_portal(self.user)

    @cached_property
    def unread_count(self) -> int:
        if not self.authenticated:
            return 0
        return Notification.objects.filter(recipient=self.user, read_at__isnull=True).count()

    @cached_property
    def missing_calendar_years(self) -> list[int]:
        """Years whose official holiday schedule nobody has entered; shown to staff as a warning."""
        if not self.authenticated or not (
            permissions.is_staff_member(self.user) or permissions.can_manage_institution(self.user)
        ):
            return []
        return calendar.missing_official_years(timezone.localdate())


def navigation(request):
    return {
        "nav": Navigation(request),
        # django-htmx's {% htmx_script %} reads the nonce from the context under this name.
        "csp_nonce": getattr(request, "csp_nonce", None),
    }
