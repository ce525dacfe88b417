"""A citizen on a phone, in a real browser: opens a station's QR link, submits an opinion with a
verified phone and a photo, tracks it by receipt code, and rates the answer from the SMS link."""

import re

import pytest

from contact_stations import services
from contact_stations.models import Opinion, OpinionPhoto, Rating, ReturnVisit
from tests.contact_stations.conftest import (  # noqa: F401 -- the stations' fixtures
    CITIZEN_PHONE,
    station_a,
    stationed_deputy,
    village_a,
)
from tests.e2e.support import PHONE, _zh
from tests.factories.images import JPEG


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_citizen_submits_tracks_and_rates_an_opinion_on_a_phone(
    open_page, live_server, station_a, stationed_deputy, township_officer_a, sms_outbox  # noqa: F811
):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)

    # The QR code on the station's card leads to its public page.
    page.goto(f"{live_server.url}/stations/s/{station_a.public_code}/")
    assert page.get_by_role("heading", name=station_a.name).is_visible()
    assert page.get_by_text(stationed_deputy.name).is_visible()
    assert _fits_the_phone(page)
    page.get_by_role("link", name=_zh("Leave your opinion")).click()
    page.wait_for_load_state()

    page.get_by_label(_zh("Your opinion")).fill("西山社区北门的路灯坏了一个月，晚上出行很不安全。")
    page.get_by_label(_zh("Category")).select_option(Opinion.Category.URBAN)
    page.get_by_label(_zh("Place concerned")).fill("西山社区北门")
    page.get_by_label(_zh("Your name")).fill("张女士")
    page.get_by_label(_zh("Mobile phone"), exact=True).fill(CITIZEN_PHONE)
    page.get_by_role("button", name=_zh("Send me a verification code")).click()
    page.wait_for_load_state()
    assert page.locator("#code-sent").is_visible()
    assert page.get_by_label(_zh("Your opinion")).input_value().startswith("西山社区北门的路灯")
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1]["message"]).group(1)

    page.get_by_label(_zh("Verification code")).fill(code)
    page.locator("#id_consent").check()
    page.get_by_label(_zh("Photos")).set_input_files(
        files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    assert _fits_the_phone(page)
    page.get_by_role("button", name=_zh("Send my opinion")).click()
    page.wait_for_load_state()

    opinion = Opinion.objects.get()
    receipt_code = page.locator("#receipt-code").inner_text().strip()
    assert receipt_code == opinion.receipt_code
    assert (opinion.citizen_phone, opinion.station_id) == (CITIZEN_PHONE, station_a.pk)
    assert OpinionPhoto.objects.filter(opinion=opinion).count() == 1

    # Tracking by receipt code shows the state, never the citizen's details.
    page.get_by_role("link", name=_zh("Follow my opinion")).click()
    page.wait_for_load_state()
    assert page.locator("#opinion-state").inner_text() == _zh(str(Opinion.State.RECEIVED.label))
    assert "张女士" not in page.content() and CITIZEN_PHONE not in page.content()

    # The town's office answers and closes it; the citizen gets a rating link by SMS.
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="路灯已于当日修复。")
    services.opinion_close(actor=township_officer_a, opinion=opinion)
    rating_path = re.search(r"(/stations/opinions/rate/[\w-]+/)", sms_outbox[-1]["message"]).group(1)

    page.goto(f"{live_server.url}/stations/opinions/track/?code={receipt_code.lower()}")
    assert page.locator("#opinion-state").inner_text() == _zh(str(Opinion.State.CLOSED.label))
    assert page.get_by_text("路灯已于当日修复。").is_visible()

    page.goto(f"{live_server.url}{rating_path}")
    page.get_by_label(_zh(str(Rating.SATISFIED.label)), exact=True).check()
    assert _fits_the_phone(page)
    page.get_by_role("button", name=_zh("Send my rating")).click()
    page.wait_for_load_state()

    assert page.locator("#rating-done").is_visible()
    visit = ReturnVisit.objects.get(opinion=opinion)
    assert visit.rating == Rating.SATISFIED and visit.channel == ReturnVisit.Channel.LINK
    # The link is single-use: opening it again says so.
    page.goto(f"{live_server.url}{rating_path}")
    assert page.locator("#rating-error").is_visible()
    assert [problem for problem in page.problems if rating_path not in problem] == []
