"""The three interfaces in a real browser: Debian's Chromium driven by Playwright.

Checks what only a browser shows: the vendor assets load under the CSP (no violation is
reported), the console's sidebar collapses on a phone, the portal's bottom navigation sits on
a phone screen, and the pages speak Chinese.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from congress.checks import VENDOR_FILES
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium is not installed at {CHROMIUM}"),
]


@pytest.fixture(scope="module", autouse=True)
def _sync_playwright_inside_django():
    # Playwright's sync API runs an event loop in this thread, which Django's ORM guard would
    # otherwise take for async code calling the database.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def vendor_assets():
    static_dir = Path(settings.BASE_DIR) / "static"
    if not all((static_dir / name).exists() for name in VENDOR_FILES):
        if not (Path(settings.BASE_DIR) / "node_modules").is_dir() or not shutil.which("npm"):
            pytest.fail("static/vendor is missing: run `npm ci && python manage.py vendor_assets` (make assets)")
        call_command("vendor_assets")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server, vendor_assets):
    """A fresh browser context per call; collects CSP violations and failed requests."""
    contexts = []

    def _open(**context_options):
        context = browser.new_context(locale="zh-CN", **context_options)
        contexts.append(context)
        page = context.new_page()
        problems = page.problems = []

        def on_console(message):
            if "Content Security Policy" in message.text:
                problems.append(message.text)

        def on_response(response):
            if response.status >= 400:
                problems.append(f"{response.status}: {response.url}")

        page.on("console", on_console)
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.on("response", on_response)
        return page

    yield _open
    for context in contexts:
        context.close()


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(_zh("Username")).fill(username)
    page.get_by_label(_zh("Password")).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=_zh("Log in")).click()
    page.wait_for_load_state()


def test_staff_admin_logs_in_to_the_console(open_page, live_server, staff_admin, health_bureau):
    page = open_page(viewport={"width": 1280, "height": 900})

    _log_in(page, live_server.url, "staff_admin")

    assert page.url == f"{live_server.url}/console/"
    sidebar = page.get_by_role("navigation", name=_zh("Console navigation"))
    assert sidebar.is_visible()
    assert sidebar.get_by_role("link", name=_zh("Handling units")).is_visible()
    assert page.get_by_role("link", name="同心").first.is_visible()
    sidebar.get_by_role("link", name=_zh("Handling units")).click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="同安区卫生健康局 （卫健局）").is_visible()
    # Bootstrap's stylesheet loaded: the brand bar has its primary colour, not the browser default.
    assert page.locator("header.navbar").evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.problems == []


def test_the_console_sidebar_collapses_on_a_phone(open_page, live_server, staff_admin):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)

    _log_in(page, live_server.url, "staff_admin")

    sidebar = page.locator("#console-sidebar")
    assert not sidebar.is_visible()
    page.get_by_role("button", name=_zh("Open the navigation")).click()
    sidebar.wait_for(state="visible")
    assert sidebar.get_by_role("link", name=_zh("Regions")).is_visible()
    assert page.problems == []


def test_deputy_uses_the_portal_on_a_phone(open_page, live_server, deputy_user):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)

    _log_in(page, live_server.url, "deputy")

    assert page.url == f"{live_server.url}/portal/"
    tabbar = page.get_by_role("navigation", name=_zh("Portal navigation"))
    assert tabbar.is_visible()
    box = tabbar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(PHONE["height"], abs=1)  # pinned to the bottom
    assert page.get_by_text(deputy_user.full_name).first.is_visible()  # 测试用户…, in Chinese
    tabbar.get_by_role("link", name=_zh("Me"), exact=True).click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/portal/me/"
    assert page.get_by_role("link", name=_zh("Change password")).is_visible()
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.problems == []


def test_anyone_opens_the_public_home(open_page, live_server, db):
    page = open_page(viewport=PHONE, is_mobile=True)

    page.goto(f"{live_server.url}/")

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="同心").first.is_visible()
    assert page.locator("#stations").is_visible()
    assert page.locator("#deputies").is_visible()
    assert page.problems == []
