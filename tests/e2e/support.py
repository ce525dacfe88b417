"""What the browser tests share besides fixtures: Debian's Chromium, the phone viewport, and the
helpers that speak the platform's language. The fixtures are in tests/e2e/conftest.py."""

from django.utils import translation

from tests.factories.congress import DEFAULT_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(_zh("Username")).fill(username)
    page.get_by_label(_zh("Password")).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=_zh("Log in")).click()
    page.wait_for_load_state()
