"""A deputy reports a duty activity with a photo from a phone, in a real browser."""

import datetime

import pytest

from tests.e2e.support import PHONE, _log_in, _zh
from tests.factories.images import JPEG


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_deputy_reports_an_activity_with_a_photo_on_a_phone(open_page, live_server, deputy):  # noqa: F811
    from deputies.models import DutyActivity

    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(page, live_server.url, "deputy")

    page.goto(f"{live_server.url}/portal/deputies/")
    page.get_by_role("link", name=_zh("Report an activity")).first.click()
    page.wait_for_load_state()
    page.get_by_label(_zh("Kind")).select_option("voter_visit")
    page.get_by_label(_zh("Title")).fill("走访西柯村困难群众")
    page.get_by_label(_zh("Date")).fill(datetime.date.today().isoformat())
    page.get_by_label(_zh("Place")).fill("西柯村")
    page.get_by_label(_zh("Photo")).set_input_files(
        files=[{"name": "visit.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    # The form fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name=_zh("Send for verification")).click()
    page.wait_for_load_state()

    assert page.url.startswith(f"{live_server.url}/portal/deputies/")
    pending = page.locator("#pending-activities")
    assert pending.get_by_text("走访西柯村困难群众").is_visible()
    activity = DutyActivity.objects.get()
    assert (activity.state, activity.reported_by_id) == (DutyActivity.State.PENDING, deputy.user_id)
    assert activity.attachment
    assert page.problems == []
