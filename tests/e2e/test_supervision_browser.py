"""Supervision in a real browser, on a phone: a citizen proposes a topic with a verified phone,
and a standing-committee member rates an open satisfaction vote from the portal, or without
logging in from the single-use link the vote's notification carried."""

import datetime
import re

from django.utils import timezone

from congress.models import Notification
from supervision import services
from supervision.models import SatisfactionVote, TopicProposal
from tests.e2e.support import PHONE, _log_in, _zh
from tests.factories.supervision import SolicitationWindowFactory
from tests.supervision.conftest import (  # noqa: F401 -- the supervision fixtures
    committee_members,
    meeting,
    other_members,
    plan,
    reported_opinion,
    sent_opinion,
    topic,
)


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_proposes_a_topic_on_a_phone(open_page, live_server, district_body, sms_outbox):  # noqa: F811
    today = timezone.localdate()
    window = SolicitationWindowFactory(body=district_body, year=today.year + 1,
                                       opens_on=today - datetime.timedelta(days=1),
                                       closes_on=today + datetime.timedelta(days=30))
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/supervision/")
    page.get_by_role("link", name=re.compile(district_body.name)).click()
    page.wait_for_load_state()
    assert _fits_the_phone(page)

    page.locator("#id_title").fill("老旧小区加装电梯")
    page.get_by_label(_zh("Why it is needed")).fill("老人上下楼困难，加装进度缓慢。")
    page.get_by_label(_zh("Problem seen")).fill("审批环节多。")
    page.get_by_label(_zh("Your name")).fill("王先生")
    page.get_by_label(_zh("Mobile phone")).fill("13800138000")
    page.get_by_role("button", name=_zh("Send me a verification code")).click()
    page.wait_for_load_state()
    assert page.locator("#code-sent").is_visible()
    assert page.locator("#id_title").input_value() == "老旧小区加装电梯"
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1]["message"]).group(1)
    page.get_by_label(_zh("Verification code")).fill(code)
    assert _fits_the_phone(page)
    page.get_by_role("button", name=_zh("Send my proposal")).click()
    page.wait_for_load_state()

    assert page.locator("#proposal-received").is_visible()
    proposal = TopicProposal.objects.get()
    assert (proposal.window, proposal.citizen_name, proposal.phone_verified) == (window, "王先生", True)
    assert page.problems == []


def test_a_member_rates_an_open_vote_on_a_phone(
    open_page, live_server, member, staff_clerk, reported_opinion, committee_members  # noqa: F811
):
    vote, _tokens = services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                                       opinion=reported_opinion)
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    _log_in(page, live_server.url, member.username)
    page.goto(f"{live_server.url}/portal/supervision/")
    page.get_by_role("link", name=reported_opinion.topic.title).click()
    page.wait_for_load_state()
    assert _fits_the_phone(page)
    page.get_by_label(_zh("Satisfied"), exact=True).check()
    page.get_by_role("button", name=_zh("Cast my vote")).click()
    page.wait_for_load_state()

    vote = SatisfactionVote.objects.get(pk=vote.pk)
    assert vote.online_satisfied == 1 and vote.votes_cast == 1
    assert page.get_by_role("link", name=reported_opinion.topic.title).count() == 0
    assert page.problems == []


def test_a_member_votes_from_the_phone_link_once_without_logging_in(
    open_page, live_server, member, staff_clerk, reported_opinion, committee_members  # noqa: F811
):
    vote, _tokens = services.vote_open(actor=staff_clerk, topic=reported_opinion.topic, subject="implementation",
                                       opinion=reported_opinion)
    link = Notification.objects.get(recipient=member, kind="supervision.vote_link").url
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}{link}")
    assert page.get_by_text(reported_opinion.topic.title).is_visible()
    assert _fits_the_phone(page)
    page.get_by_label(_zh("Basically satisfied"), exact=True).check()
    page.get_by_role("button", name=_zh("Cast my vote")).click()
    page.wait_for_load_state()

    assert page.locator("#ballot-result").inner_text() == _zh("Thank you. Your vote has been recorded.")
    vote = SatisfactionVote.objects.get(pk=vote.pk)
    assert (vote.online_basically, vote.votes_cast) == (1, 1)

    page.goto(f"{live_server.url}{link}")
    assert page.locator("#ballot-result").inner_text() == _zh("This ballot has already been used.")
    assert page.locator("#ballot-form").count() == 0
    assert _fits_the_phone(page)
    assert SatisfactionVote.objects.get(pk=vote.pk).votes_cast == 1
    assert page.problems == []
