"""The three interfaces in a real browser: Debian's Chromium driven by Playwright.

Checks what only a browser shows: the vendor assets load under the CSP (no violation is
reported), the console's sidebar collapses on a phone, the portal's bottom navigation sits on
a phone screen, and the pages speak Chinese.
"""

import pytest

from tests.e2e.support import PHONE, _log_in, _zh


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
