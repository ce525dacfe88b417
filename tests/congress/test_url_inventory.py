"""Every URL declares its access policy, and anonymous visitors get nothing but the public pages (SECURITY S1).

The walk covers the whole resolver, so a view added tomorrow is checked without touching this
file. Only Django admin (`admin` namespace) is exempt: it has its own staff login.
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, converters, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from congress import access

EXEMPT_NAMESPACES = {"admin"}
KNOWN_POLICIES = {access.PUBLIC, access.AUTHENTICATED, access.PREDICATE, access.API}

# Justified exceptions to "anonymous GET gets a login redirect, 401 or 403", by qualified name,
# with the status codes that are acceptable instead. Each entry needs a reason.
ANONYMOUS_EXCEPTIONS: dict[str, tuple[set[int], str]] = {
    # The token login endpoint must accept anonymous callers (they are logging in); it only
    # takes POST, so an anonymous GET is refused with 405 before anything is read.
    "api:auth_token": ({405}, "anonymous by nature, POST only"),
}

# Namespaces where a "public" policy is a mistake: the console and portal are never public.
NEVER_PUBLIC = {"console", "portal"}
PUBLIC_EXCEPTIONS: dict[str, str] = {}

DUMMY_BY_CONVERTER = {
    converters.IntConverter: "1",
    converters.StringConverter: "x",
    converters.SlugConverter: "x",
    converters.PathConverter: "x",
    converters.UUIDConverter: str(uuid.UUID(int=0)),
}
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


class Entry:
    def __init__(self, routes, namespaces, pattern: URLPattern):
        self.routes = routes  # the pattern objects from the root down to this one
        self.namespaces = namespaces
        self.pattern = pattern

    @property
    def qualified_name(self):
        return ":".join([*self.namespaces, self.pattern.name or "<unnamed>"])

    @property
    def display(self):
        return "".join(str(route) for route in self.routes)

    @property
    def exempt(self):
        return bool(self.namespaces) and self.namespaces[0] in EXEMPT_NAMESPACES

    @property
    def policy(self):
        callback = self.pattern.callback
        for candidate in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
            policy = getattr(candidate, "access_policy", None)
            if policy is not None:
                return policy
        return None

    def dummy_url(self) -> str | None:
        """The path with every parameter filled in (1 for int, "x" for str/slug), or None."""
        if not all(isinstance(route, RoutePattern) for route in self.routes):
            return self._reverse_regex()
        parts = []
        for route in self.routes:
            converter_of = route.converters

            def fill(match, converter_of=converter_of):
                converter = converter_of.get(match["parameter"])
                return DUMMY_BY_CONVERTER.get(type(converter)) or "\0"

            filled = ROUTE_PARAMETER.sub(fill, str(route))
            if "\0" in filled:
                return None  # a custom converter: no dummy value known
            parts.append(filled)
        return "/" + "".join(parts)

    def _reverse_regex(self) -> str | None:
        # re_path() patterns: reverse by name, trying 1 and then "x" for every named group.
        if not self.pattern.name:
            return None
        groups = set()
        for route in self.routes:
            groups |= set(getattr(route, "regex", re.compile("")).groupindex)
        for value in ("1", "x"):
            try:
                return reverse(self.qualified_name, kwargs=dict.fromkeys(groups, value))
            except NoReverseMatch:
                continue
        return None


def _walk(resolver, routes=(), namespaces=()):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner_namespaces = (*namespaces, item.namespace) if item.namespace else namespaces
            yield from _walk(item, (*routes, item.pattern), inner_namespaces)
        else:
            yield Entry((*routes, item.pattern), namespaces, item)


def _entries():
    return [entry for entry in _walk(get_resolver()) if not entry.exempt]


def test_the_walk_finds_the_interfaces():
    namespaces = {entry.namespaces[0] for entry in _entries() if entry.namespaces}

    assert {"public", "accounts", "console", "portal", "api"} <= namespaces


def test_every_url_declares_an_access_policy():
    missing = sorted(f"{entry.display}  ({entry.qualified_name})" for entry in _entries() if entry.policy is None)

    assert missing == [], "views without an access policy (wrap them with congress.access):\n" + "\n".join(missing)


def test_every_declared_policy_is_a_known_one():
    unknown = sorted(
        f"{entry.display}: {entry.policy!r}"
        for entry in _entries()
        if entry.policy is not None and entry.policy not in KNOWN_POLICIES
    )

    assert unknown == []


def test_console_and_portal_have_no_public_views():
    public = sorted(
        entry.qualified_name
        for entry in _entries()
        if entry.policy == access.PUBLIC
        and entry.namespaces
        and entry.namespaces[0] in NEVER_PUBLIC
        and entry.qualified_name not in PUBLIC_EXCEPTIONS
    )

    assert public == []


@pytest.mark.django_db
def test_anonymous_get_gets_a_login_redirect_or_401_or_403_unless_public():
    client = Client(raise_request_exception=False)
    login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
    failures, checked = [], 0

    for entry in _entries():
        if entry.policy in (None, access.PUBLIC):
            continue  # a missing policy fails the test above
        url = entry.dummy_url()
        if url is None:
            if entry.qualified_name not in ANONYMOUS_EXCEPTIONS:
                failures.append(f"{entry.display} ({entry.qualified_name}): no URL could be built to probe it")
            continue
        if resolve(url).func is not entry.pattern.callback:
            continue  # shadowed by an earlier pattern for these dummy values
        checked += 1
        response = client.get(url)
        status = response.status_code
        allowed, _reason = ANONYMOUS_EXCEPTIONS.get(entry.qualified_name, (set(), ""))
        if status in allowed or status in (401, 403):
            continue
        if status == 302 and urlsplit(response["Location"]).path == login_path:
            continue
        where = f" → {response['Location']}" if status in (301, 302) else ""
        failures.append(f"{url} ({entry.qualified_name}, policy {entry.policy}): {status}{where}")

    assert checked > 0
    assert failures == [], "anonymous GET was not refused:\n" + "\n".join(failures)


def test_allow_lists_name_only_existing_patterns():
    names = {entry.qualified_name for entry in _entries()}

    assert set(ANONYMOUS_EXCEPTIONS) <= names
    assert set(PUBLIC_EXCEPTIONS) <= names
