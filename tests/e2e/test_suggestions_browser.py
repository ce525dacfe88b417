"""A deputy rates a unit's reply from a phone, in a real browser: home card → my suggestions →
the proposal → the rating form, attitude and result separately, with a reason for 不满意."""

import datetime

import pytest

from congress.models.accounts import Role
from tests.e2e.support import PHONE, _log_in, _zh
from tests.factories.congress import SessionFactory, user_with_role
from tests.factories.deputies import DeputyFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def replied_assignment(deputy_user, deputy, district_body, staff_admin, unit_officer, health_bureau):
    """A suggestion of the `deputy` persona, assigned to the 卫健局, contacted and replied with a
    class B reply and a dated commitment, through the real services."""
    from suggestions import services
    from suggestions.models import ReplyClass

    term = district_body.terms.get(is_current=True)
    session = SessionFactory(term=term, number=1, starts_on=datetime.date(2026, 1, 10))
    co_user = user_with_role(Role.DEPUTY, username="co_deputy", body=district_body)
    co_deputy = DeputyFactory(body=district_body, term=term, user=co_user, name="郑代表")
    services.ensure_defaults(district_body)
    proposal = services.proposal_file(
        actor=deputy_user, lead_deputy=deputy, session=session, co_signers=[co_deputy],
        title="关于增设学校周边交通信号灯的建议", content="学校门口车流量大，建议增设信号灯。",
    )
    services.proposal_submit(actor=deputy_user, proposal=proposal)
    services.proposal_accept(actor=staff_admin, proposal=proposal)
    assignment = services.proposal_assign(actor=staff_admin, proposal=proposal, lead_unit=health_bureau)[0]
    services.contact_record(
        actor=unit_officer, assignment=assignment, kind="face_to_face", contacted_on=datetime.date.today(),
        people="林代表、卫健局李科长", content="现场查看并当面沟通。",
    )
    services.reply_submit(
        actor=unit_officer, assignment=assignment, text="经研究，信号灯安装已列入年度计划。",
        reply_class=ReplyClass.objects.get(body=district_body, code="B"), officer="李科长",
        commitments=[("2026年底前完成信号灯安装", datetime.date(2026, 12, 31))],
    )
    assignment.refresh_from_db()
    return assignment


def submit_rating(page, *, attitude: str, result: str, reason: str = "") -> None:
    """Fill the rating form (attitude and result by their English msgids) and submit it."""
    page.locator("#attitude").get_by_label(_zh(attitude), exact=True).check()
    page.locator("#result").get_by_label(_zh(result), exact=True).check()
    if reason:
        page.get_by_label(_zh("Reason")).fill(reason)
    # The form fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name=_zh("Submit my rating")).click()
    page.wait_for_load_state()


def test_deputy_rates_a_reply_on_a_phone(open_page, live_server, deputy_user, replied_assignment):  # noqa: F811
    from suggestions.models import Assignment, Rating

    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(page, live_server.url, "deputy")

    page.goto(f"{live_server.url}/portal/")
    assert page.locator('#my-suggestion-counts [data-count="to_rate"]').inner_text() == "1"
    page.get_by_role("link", name=_zh("Replies awaiting my rating")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="关于增设学校周边交通信号灯的建议").click()
    page.wait_for_load_state()
    assert page.get_by_text("2026年底前完成信号灯安装").is_visible()
    page.get_by_role("link", name=_zh("Rate this reply")).click()
    page.wait_for_load_state()

    submit_rating(page, attitude="Satisfied", result="Unsatisfied", reason="信号灯尚未安装，承诺时间过长。")

    assert page.url == f"{live_server.url}/portal/suggestions/{replied_assignment.proposal_id}/"
    rating = Rating.objects.get()
    assert (rating.attitude, rating.result, rating.via, rating.rater_id) == (
        "satisfied", "unsatisfied", "portal", deputy_user.pk,
    )
    assert Assignment.objects.get(pk=replied_assignment.pk).state == Assignment.State.EVALUATED
    assert page.get_by_role("link", name=_zh("Rate this reply")).count() == 0
    assert page.problems == []


def test_staff_merge_a_similar_proposal_from_the_review_page_on_a_phone(
    open_page, live_server, staff_admin, deputy_user, deputy, district_body  # noqa: F811
):
    """The office reviews a new suggestion, sees an earlier one reading alike and merges the two."""
    from suggestions import services
    from suggestions.models import Proposal

    services.ensure_defaults(district_body)
    term = district_body.terms.get(is_current=True)
    session = SessionFactory(term=term, number=1, starts_on=datetime.date(2026, 1, 10))

    def submitted(title):
        proposal = services.proposal_file(actor=deputy_user, lead_deputy=deputy, session=session, co_signers=[],
                                          title=title, content="学校门口车流量大，建议增设信号灯。")
        return services.proposal_submit(actor=deputy_user, proposal=proposal)

    earlier = services.proposal_accept(actor=staff_admin, proposal=submitted("关于增设学校周边交通信号灯的建议"))
    new = submitted("关于在学校周边增设交通信号灯的建议")

    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(page, live_server.url, "staff_admin")
    page.goto(f"{live_server.url}/console/suggestions/proposals/{new.pk}/")
    merging = page.locator("#merging")
    assert merging.get_by_role("link", name=f"{earlier.number} 关于增设学校周边交通信号灯的建议").is_visible()
    merging.get_by_role("button", name=_zh("Merge with this")).click()
    page.wait_for_load_state()

    assert Proposal.objects.get(pk=new.pk).merge_group.main_id == earlier.pk
    assert page.locator("#merging").get_by_text(_zh("Main proposal")).is_visible()
    assert page.get_by_role("button", name=_zh("Take this proposal out of merged handling")).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.problems == []
