"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (never `playwright
install`), one browser per module, a fresh context per page. Every test here is marked `browser`
and skipped where Chromium is not installed."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from congress.checks import VENDOR_FILES
from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    skip = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium is not installed at {CHROMIUM}")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(skip)


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
