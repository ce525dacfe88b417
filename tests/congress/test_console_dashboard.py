"""The leaders' dashboard (领导驾驶舱): each app's figures against a small year counted by hand,
who may open it and for which congress, the links and the chart data, and a fixed number of
queries whatever the size of the year."""

import datetime
import json
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from congress import selectors_dashboard
from congress.models.accounts import Role
from contact_stations.models import Opinion, Rating, ReturnVisit
from deputies.models import ActivityKind, Deputy, DutyActivity, VoterReport
from suggestions import services as suggestion_services
from supervision import statistics as supervision_statistics
from supervision.models import RectificationItem, Topic, TopicKind
from tests.contact_stations.conftest import station_a, station_b, village_a, village_b  # noqa: F401
from tests.factories.congress import UnitFactory, user_with_role
from tests.factories.deputies import DeputyFactory, TownshipDeputyFactory, participate
from tests.factories.stations import OpinionFactory
from tests.factories.supervision import (
    AnnualPlanFactory,
    DeliberationOpinionFactory,
    RectificationItemFactory,
    SatisfactionVoteFactory,
    TopicFactory,
)
from tests.suggestions.conftest import (  # noqa: F401 -- the suggestions' people and flow
    co_deputy,
    co_deputy_user,
    flow,
    media_in_tmp,
    reply_classes,
    session_1,
    term,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("console:leaders_dashboard")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n% scan\n"


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def overview(user, body, year, today):
    return selectors_dashboard.overview(user, body=body, year=year, today=today)


# ---- deputies ---------------------------------------------------------------------------------


def test_deputy_figures_match_the_hand_count(staff_admin, district_body, township_body_a):
    """Default rules: good from 80, fair from 60. 甲 80 (good), 乙 60 (fair), 丙 5 (poor); a resigned
    deputy and a township deputy do not count. 14 + 10 + 1 verified activities in 2026; a pending one
    and one of 2025 do not count. Two reports to voters held in 2026, one only planned, one of 2025."""
    first = DeputyFactory(body=district_body, name="甲代表")
    participate(first, kind=ActivityKind.SESSION, times=2)  # 20
    participate(first, kind=ActivityKind.STANDING_COMMITTEE, times=6)  # 30
    participate(first, kind=ActivityKind.INSPECTION, times=4)  # 20
    participate(first, kind=ActivityKind.RESEARCH, times=2)  # 10
    second = DeputyFactory(body=district_body, name="乙代表")
    participate(second, kind=ActivityKind.SESSION, times=2)
    participate(second, kind=ActivityKind.STANDING_COMMITTEE, times=6)
    participate(second, kind=ActivityKind.INSPECTION, times=2)
    third = DeputyFactory(body=district_body, name="丙代表")
    participate(third)
    participate(third, state=DutyActivity.State.PENDING, source=DutyActivity.Source.SELF_REPORTED)
    participate(third, date=datetime.date(2025, 12, 31))
    DeputyFactory(body=district_body, status=Deputy.Status.RESIGNED)
    participate(TownshipDeputyFactory(body=township_body_a))

    def report(held_on, state=VoterReport.State.CLOSED):
        VoterReport.objects.create(body=district_body, term=first.term, deputy=first, state=state,
                                   scheduled_on=held_on or datetime.date(2026, 11, 1), place="社区会议室",
                                   held_on=held_on)

    report(datetime.date(2026, 4, 1))
    report(datetime.date(2026, 9, 1), VoterReport.State.HELD)
    report(None, VoterReport.State.PLANNED)
    report(datetime.date(2025, 9, 1))

    figures = overview(staff_admin, district_body, 2026, datetime.date(2026, 12, 1)).deputies

    assert figures.serving == 3
    assert figures.activities == 25
    assert figures.bands == {"good": 1, "fair": 1, "poor": 1}
    assert figures.voter_reports_held == 2


# ---- suggestions ------------------------------------------------------------------------------


def _paper(walk, assignment, *, attitude, result):
    suggestion_services.rating_enter_paper(
        actor=walk.staff, assignment=assignment, attitude=attitude, result=result, reason="",
        scan=SimpleUploadedFile("form.pdf", PDF), staff_reason="代表当面填写纸质表",
    )


@pytest.fixture
def year_of_suggestions(flow, staff_admin, leader, committee):  # noqa: F811
    """Five proposals received today. P1 replied on time, rated satisfied by the deputy; P2 assigned
    120 days ago, never replied (overdue now); P3 accepted only; P4 submitted only; P5 replied on
    time, rated unsatisfied by the deputy, re-handled, replied again and rated satisfied on a paper
    form. P1 and P2 are key suggestions of the year, P1 marked solved."""
    today = timezone.localdate()
    p1 = flow.replied(reply_class="A")
    suggestion_services.rating_submit(actor=flow.deputy_user, assignment=p1, attitude="satisfied", result="satisfied")
    p2 = flow.assigned(assigned_on=today - datetime.timedelta(days=120))
    flow.accepted()
    flow.submitted()
    p5 = flow.replied(reply_class="B")
    suggestion_services.rating_submit(actor=flow.deputy_user, assignment=p5, attitude="basically_satisfied",
                                      result="unsatisfied", reason="没有解决")
    suggestion_services.rehandling_order(actor=flow.staff, assignment=p5)
    p5 = flow.replied(reply_class="A", assignment=p5)
    _paper(flow, p5, attitude="satisfied", result="satisfied")
    solved, _open = (
        suggestion_services.key_suggestion_designate(
            actor=staff_admin, proposal=assignment.proposal, year=today.year, supervising_leader=leader,
            committee=committee,
        )
        for assignment in (p1, p2)
    )
    suggestion_services.key_suggestion_mark_solved(actor=staff_admin, key_suggestion=solved)
    return today


def test_suggestion_figures_match_the_hand_count(year_of_suggestions, leader, district_body):
    today = year_of_suggestions
    figures = overview(leader, district_body, today.year, today).suggestions

    assert figures.progress == {"filed": 5, "accepted": 4, "assigned": 3, "replied": 2, "closed": 0}
    assert figures.overdue == 1
    assert figures.on_time_rate == 66.7  # P1 and P5 on time, P2 past its date unreplied
    # The deputies' own ratings only: first round P1 satisfied, P5 unsatisfied; final P1 alone, as
    # P5's second round was entered from paper.
    assert (figures.first_satisfaction, figures.final_satisfaction) == (50.0, 100.0)
    assert figures.rehandling == 1
    assert figures.key_open == 1


# ---- supervision ------------------------------------------------------------------------------


@pytest.fixture
def year_of_supervision(district_body, township_body_a, monkeypatch):
    """2027: three work reports (two planned, one closed) and an inspection in progress; a topic of
    the township's plan does not count. Votes: round 1 failed and passed, round 2 passed; an open
    vote does not count. Ledger: one overdue, one open, one done; the township's does not count."""
    monkeypatch.setattr(supervision_statistics, "today", lambda: datetime.date(2027, 10, 15))
    plan = AnnualPlanFactory(body=district_body, year=2027)
    reports = [TopicFactory(plan=plan, state=state) for state in (Topic.State.PLANNED, Topic.State.PLANNED,
                                                                  Topic.State.CLOSED)]
    TopicFactory(plan=plan, kind=TopicKind.INSPECTION, state=Topic.State.IN_PROGRESS)
    township_topic = TopicFactory(plan=AnnualPlanFactory(body=township_body_a, year=2027))
    SatisfactionVoteFactory(topic=reports[0], round=1, online_satisfied=2, online_unsatisfied=3, passed=False)
    SatisfactionVoteFactory(topic=reports[1], round=1, online_satisfied=5, passed=True)
    SatisfactionVoteFactory(topic=reports[0], round=2, online_satisfied=4, passed=True)
    SatisfactionVoteFactory(topic=reports[2], round=1, state="open", closed_at=None)
    SatisfactionVoteFactory(topic=township_topic, round=1, online_satisfied=5, passed=True)
    unit = UnitFactory(name="区卫健局")
    opinion = DeliberationOpinionFactory(topic=reports[0])
    RectificationItemFactory(opinion=opinion, owner_unit=unit, due_on=datetime.date(2027, 9, 1))
    RectificationItemFactory(opinion=opinion, owner_unit=unit, due_on=datetime.date(2027, 12, 1))
    RectificationItemFactory(opinion=opinion, owner_unit=unit, status=RectificationItem.Status.DONE)
    RectificationItemFactory(opinion=DeliberationOpinionFactory(topic=township_topic), owner_unit=unit,
                             due_on=datetime.date(2027, 9, 1))


def test_supervision_figures_match_the_hand_count(year_of_supervision, leader, district_body):
    figures = overview(leader, district_body, 2027, datetime.date(2027, 10, 15)).supervision

    assert figures.topics_by_state == {Topic.State.PLANNED: 2, Topic.State.CLOSED: 1, Topic.State.IN_PROGRESS: 1}
    assert figures.topics == 4
    assert [(row.round, row.passed, row.failed) for row in figures.rounds] == [(1, 1, 1), (2, 1, 0)]
    assert (figures.ledger_open, figures.ledger_overdue) == (2, 1)


# ---- contact stations -------------------------------------------------------------------------


@pytest.fixture
def year_of_opinions(station_a, station_b):  # noqa: F811
    """Town A's congress, 15 June 2025. Received in 2025: O1 (3 June, unacknowledged past its
    acknowledgement date: overdue), O2 (10 June, acknowledged, answer due in July), O3 (1 March,
    closed after 10 days), O4 (1 April, closed after 4 days), O7 (2 May, acknowledged, answer date
    passed: overdue). O5 was received in 2024 and closed on 9 January 2025 after 20 days. Town B's
    opinion does not count. Return visits in 2025: satisfied, unsatisfied, basically satisfied."""
    State = Opinion.State
    day = datetime.date

    def opinion(received, state, *, station=station_a, closed=None, ack_due=None, answer_due=None):
        return OpinionFactory(station=station, received_on=received, state=state, closed_at=closed,
                              ack_due=ack_due or received + datetime.timedelta(days=3),
                              answer_due=answer_due or received + datetime.timedelta(days=21))

    opinion(day(2025, 6, 3), State.RECEIVED, ack_due=day(2025, 6, 6), answer_due=day(2025, 6, 24))
    opinion(day(2025, 6, 10), State.ACKNOWLEDGED, answer_due=day(2025, 7, 1))
    o3 = opinion(day(2025, 3, 1), State.CLOSED, closed=at(2025, 3, 11, 10))
    o4 = opinion(day(2025, 4, 1), State.CLOSED, closed=at(2025, 4, 5, 23, 30))
    o5 = opinion(day(2024, 12, 20), State.CLOSED, closed=at(2025, 1, 9, 8))
    opinion(day(2025, 5, 2), State.ACKNOWLEDGED, answer_due=day(2025, 6, 1))
    opinion(day(2025, 6, 5), State.RECEIVED, station=station_b, ack_due=day(2025, 6, 6))
    for item, rating, when in ((o3, Rating.SATISFIED, at(2025, 3, 20)), (o4, Rating.UNSATISFIED, at(2025, 4, 10)),
                               (o5, Rating.BASICALLY_SATISFIED, at(2025, 1, 12))):
        ReturnVisit.objects.create(opinion=item, round=1, rating=rating, rated_at=when, channel="link")


def test_station_figures_match_the_hand_count(year_of_opinions, leader, township_body_a):
    figures = overview(leader, township_body_a, 2025, datetime.date(2025, 6, 15)).stations

    assert (figures.received_this_month, figures.received_this_year) == (2, 5)
    assert (figures.open, figures.overdue) == (3, 2)
    assert figures.average_days_to_close == 11.3  # (10 + 4 + 20) / 3, by the Shanghai calendar
    assert (figures.satisfaction_rate, figures.rated) == (66.7, 3)


# ---- the page -----------------------------------------------------------------------------------


def test_leader_sees_the_year_with_links_to_where_each_figure_is_acted_on(client, login, year_of_suggestions, leader,
                                                                         district_body):
    response = login(client, leader).get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["overview"].body == district_body
    cards = {card.key: card for card in response.context["cards"]}
    assert list(cards) == ["deputies", "suggestions", "supervision", "stations"]
    suggestions = {figure.key: figure for figure in cards["suggestions"].figures}
    statistics = reverse("console:suggestions:statistics")
    assert suggestions["filed"].shown == "5"
    assert suggestions["filed"].url == f"{statistics}?body={district_body.pk}&year={year_of_suggestions.year}"
    assert suggestions["on-time"].shown == "66.7%"
    assert suggestions["key-open"].url.startswith(reverse("console:suggestions:key_suggestions"))
    # A leader may not work the office's queues: the overdue figure leads to the statistics instead.
    assert suggestions["overdue"].url.startswith(statistics)
    # The reports to voters are the office's to plan; a leader gets the number without a link.
    deputies = {figure.key: figure for figure in cards["deputies"].figures}
    assert deputies["voter-reports"].url is None
    # Each chart's figures are embedded for the script and repeated in a table.
    content = response.content.decode()
    embedded = re.search(r'<script id="chart-suggestions-progress-data" type="application/json">(.*?)</script>',
                         content)
    assert json.loads(embedded.group(1))["series"] == {"proposals": [5, 4, 3, 2, 0]}
    assert "vendor/echarts/echarts.min.js" in content and "js/stations-charts.js" in content
    assert f'nonce="{response.wsgi_request.csp_nonce}"' in content


def test_office_staff_reach_the_queues_from_the_figures(client, login, year_of_suggestions, staff_clerk):
    cards = {card.key: card for card in login(client, staff_clerk).get(DASHBOARD).context["cards"]}
    suggestions = {figure.key: figure for figure in cards["suggestions"].figures}

    assert suggestions["overdue"].url == reverse("console:suggestions:deadlines")
    assert suggestions["rehandling"].url == reverse("console:suggestions:rehandling")


@pytest.mark.parametrize("persona", ["member", "auditor", "unit_officer", "township_officer_b", "station_keeper"])
def test_other_console_roles_are_refused(client, login, request, persona):
    response = login(client, request.getfixturevalue(persona)).get(DASHBOARD)

    assert response.status_code == 403


def test_a_deputy_is_refused(client, login, deputy_user):
    assert login(client, deputy_user).get(DASHBOARD).status_code == 403


def test_the_entry_is_in_the_navigation_of_leaders_only(client, login, leader, member):
    assert DASHBOARD in login(client, leader).get(reverse("console:home")).content.decode()
    client.logout()
    assert DASHBOARD not in login(client, member).get(reverse("console:home")).content.decode()


def test_a_district_leader_chooses_a_township_congress(client, login, year_of_opinions, leader, district_body,
                                                       township_body_a, township_body_b):
    response = login(client, leader).get(DASHBOARD, {"body": township_body_a.pk, "year": 2025})

    assert response.context["overview"].body == township_body_a
    assert response.context["overview"].stations.received_this_year == 5
    assert {body.pk for body in response.context["bodies"]} == {district_body.pk, township_body_a.pk,
                                                               township_body_b.pk}


def test_a_township_leader_sees_their_own_township_only(client, login, township_body_a, township_body_b,
                                                        district_body):
    township_leader = user_with_role(Role.LEADER, username="township_leader", body=township_body_a)
    login(client, township_leader)

    response = client.get(DASHBOARD)
    assert response.context["overview"].body == township_body_a
    assert [body.pk for body in response.context["bodies"]] == [township_body_a.pk]
    assert 'id="dashboard-body"' not in response.content.decode()  # nothing to choose from
    # Another congress looks absent.
    assert client.get(DASHBOARD, {"body": district_body.pk}).status_code == 404
    assert client.get(DASHBOARD, {"body": township_body_b.pk}).status_code == 404


def test_a_year_out_of_range_falls_back_to_this_year(client, login, leader):
    response = login(client, leader).get(DASHBOARD, {"year": "1900"})

    assert response.context["overview"].year == timezone.localdate().year


# ---- bounded queries ------------------------------------------------------------------------------


# Session, user and grants, the navigation, then a fixed set of aggregates per app.
MAX_QUERIES = 31


def _add_year(flow, district_body, scale):  # noqa: F811
    """`scale` times: a deputy with activities and a report to voters, a replied and rated proposal
    and an overdue one, a topic with a vote and a ledger item, an open and a closed opinion."""
    today = timezone.localdate()
    plan = AnnualPlanFactory(body=district_body, year=today.year)
    unit = UnitFactory()
    for _index in range(scale):
        deputy = DeputyFactory(body=district_body)
        participate(deputy, kind=ActivityKind.INSPECTION, times=2, date=today)
        VoterReport.objects.create(body=district_body, term=deputy.term, deputy=deputy, state=VoterReport.State.HELD,
                                   scheduled_on=today, place="社区会议室", held_on=today)
        replied = flow.replied(reply_class="A")
        suggestion_services.rating_submit(actor=flow.deputy_user, assignment=replied, attitude="satisfied",
                                          result="satisfied")
        flow.assigned(assigned_on=today - datetime.timedelta(days=120))
        topic = TopicFactory(plan=plan)
        SatisfactionVoteFactory(topic=topic, round=1, online_satisfied=5, passed=True)
        RectificationItemFactory(opinion=DeliberationOpinionFactory(topic=topic), owner_unit=unit,
                                 due_on=today - datetime.timedelta(days=1))
        closed = OpinionFactory(station__body=district_body, received_on=today, state=Opinion.State.CLOSED,
                                closed_at=at(today.year, today.month, today.day, 12))
        ReturnVisit.objects.create(opinion=closed, round=1, rating=Rating.SATISFIED, rated_at=closed.closed_at,
                                   channel="link")
        OpinionFactory(station=closed.station, received_on=today)


def test_the_page_costs_the_same_queries_for_three_times_the_year(client, login, flow, leader, district_body,  # noqa: F811
                                                                  django_assert_max_num_queries):
    login(client, leader)
    _add_year(flow, district_body, 1)
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        first = client.get(DASHBOARD)
    _add_year(flow, district_body, 2)
    with django_assert_max_num_queries(MAX_QUERIES) as large:
        second = client.get(DASHBOARD)

    assert len(large.captured_queries) == len(small.captured_queries)
    assert first.context["overview"].deputies.serving + 2 == second.context["overview"].deputies.serving
    assert second.context["overview"].suggestions.progress["filed"] == 6
    assert second.context["overview"].supervision.ledger_overdue == 3
    assert second.context["overview"].stations.received_this_year == 6
