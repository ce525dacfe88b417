"""A leader on a phone opens the leaders' dashboard: four cards stacked one above the other, each
chart drawn by ECharts under the CSP nonce, nothing wider than the screen."""

import datetime

from django.utils import timezone

from deputies.models import ActivityKind
from tests.e2e.support import PHONE, _log_in, _zh
from tests.factories.deputies import DeputyFactory, participate
from tests.factories.supervision import AnnualPlanFactory, SatisfactionVoteFactory, TopicFactory


def test_a_leader_reads_the_dashboard_on_a_phone(open_page, live_server, settings, leader, district_body):  # noqa: F811
    settings.OTP_REQUIRED = False  # the second factor has its own browser test
    today = timezone.localdate()
    for times in (20, 13, 1):
        participate(DeputyFactory(body=district_body), kind=ActivityKind.STANDING_COMMITTEE, times=times,
                    date=today - datetime.timedelta(days=1))
    topic = TopicFactory(plan=AnnualPlanFactory(body=district_body, year=today.year))
    SatisfactionVoteFactory(topic=topic, round=1, online_satisfied=5, passed=True)

    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/console/leaders-dashboard/")
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", name=_zh("Deputies"), exact=True).is_visible()
    cards = page.locator("[data-dashboard-card]")
    assert cards.count() == 4
    boxes = [cards.nth(index).bounding_box() for index in range(4)]
    # Stacked: one card per row, each below the one before.
    assert all(later["y"] >= earlier["y"] + earlier["height"] for earlier, later in zip(boxes, boxes[1:], strict=False))
    # ECharts drew the charts that have data (a canvas inside each container).
    page.wait_for_selector("#chart-deputies-bands canvas")
    assert page.locator("#chart-supervision-votes canvas").count() == 1
    assert page.locator("[data-figure='deputies-serving']").inner_text().strip().endswith("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.problems == []
