"""A small fixed-window rate limiter on the Django cache, for public forms (SECURITY S14).

`limit("stations.submit", rate="10/h")` counts the requests of one client (by address) in the
current window and answers a friendly 429 page once the count passes the rate. The window is
fixed (it starts at a multiple of its length), which is coarse but cheap: one `add` and one
`incr` per request. Redis makes the count atomic across web nodes; the database cache used on a
bare machine is good enough for one node.

A rate can be changed per scope without a code change: `RATELIMITS = {"stations.submit": "3/m"}`
in the settings (tests use this to reach a limit in a few requests). `RATELIMIT_CACHE` names the
cache alias that keeps the counts (default "default"); tests point it at a fresh local cache.
"""

import dataclasses
import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from congress import security_log

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
TEMPLATE = "public/congress/rate_limited.html"


@dataclasses.dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/h' → (10, 3600); '5/10m' → (5, 600)."""
    count, _slash, period = rate.partition("/")
    digits = period.rstrip("smhd") or "1"
    return int(count), int(digits) * UNITS[period[-1]]


def rate_for(scope: str, default: str) -> tuple[int, int]:
    return parse_rate(getattr(settings, "RATELIMITS", {}).get(scope, default))


def hit(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one request of `key` in `scope`'s current window and say whether it is allowed."""
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no address in the cache keys
    cache_key = f"ratelimit:{scope}:{digest}:{window_start}"
    timeout = window + 1
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    cache.add(cache_key, 0, timeout)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout)
        count = 1
    retry_after = max(1, int(window_start + window - now))
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def too_many_requests(request, *, retry_after: int, message: str = ""):
    """The friendly 429 page, with a Retry-After header."""
    response = render(
        request, TEMPLATE, {"retry_after": retry_after, "minutes": max(1, -(-retry_after // 60)), "message": message},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def client_key(request) -> str:
    return security_log.client_ip(request) or "unknown"


def limit(scope: str, *, rate: str, methods=("POST",), key=client_key):
    """Decorate a view: over the rate, requests with one of `methods` get the 429 page.

    Put it inside the access decorator (`@access.public` outermost) so the view stays tagged.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                count, window = rate_for(scope, rate)
                verdict = hit(scope, key(request), limit=count, window=window)
                if not verdict.allowed:
                    security_log.log("rate_limited", request=request, detail=scope)
                    return too_many_requests(request, retry_after=verdict.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
