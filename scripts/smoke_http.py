"""Smoke-test a running Tongxin over HTTP: `python scripts/smoke_http.py URL [USERNAME PASSWORD]`.

The public home answers, the console sends an anonymous visitor to the login page which answers,
and the OpenAPI schema is served; given a demo login, signing in with it succeeds. Exits non-zero
on the first failure. Used by scripts/smoke_embedded.sh after `make run` has started the platform.
"""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


cookies = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(cookies))


def fetch(url: str, data: dict | None = None, referer: str = "") -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Referer": referer} if referer else {})  # noqa: S310
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
        return error.code, dict(error.headers), error.read()


def expect(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAIL {message}", file=sys.stderr)
        sys.exit(1)
    print(f"ok   {message}")


def sign_in(base: str, username: str, password: str) -> None:
    login_url = f"{base}/accounts/login/"
    status, _headers, body = fetch(login_url)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    expect(status == 200 and token is not None, "the login form carries a CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
    status, headers, _body = fetch(login_url, form, referer=login_url)
    expect(status == 302, f"signing in as the demo user {username!r} succeeds ({status} {headers.get('Location', '')})")
    expect(any(cookie.name == "sessionid" for cookie in cookies), "the login set a session cookie")


def main(base: str, login: list[str]) -> None:
    status, _headers, body = fetch(f"{base}/")
    expect(status == 200, f"GET / answers 200 (got {status})")
    expect(b"<html" in body.lower(), "the public home is an HTML page")

    status, headers, _body = fetch(f"{base}/console/")
    location = headers.get("Location", "")
    redirected = status == 302 and "/accounts/login/" in location
    expect(redirected, f"GET /console/ redirects an anonymous visitor to the login ({status} {location})")
    status, _headers, body = fetch(urllib.parse.urljoin(f"{base}/console/", location))
    expect(status == 200, f"the login page answers 200 (got {status})")
    expect(b'name="password"' in body, "the login page has a password field")

    status, _headers, body = fetch(f"{base}/api/v1/schema/")
    expect(status == 200, f"GET /api/v1/schema/ answers 200 (got {status})")
    expect(b"openapi" in body, "the schema is an OpenAPI document")

    if login:
        sign_in(base, *login)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000", sys.argv[2:4])
