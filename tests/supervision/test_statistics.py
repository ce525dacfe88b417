"""Supervision statistics of a plan year: topics by kind and state, closed votes by round, ledger
items by unit — figures checked against hand-counted data, in a fixed number of queries, with an
Excel export that needs its permission and is logged."""

import datetime
import io
import json
import logging

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from supervision import statistics
from supervision.models import RectificationItem, Topic, TopicKind
from tests.factories.congress import UnitFactory
from tests.factories.supervision import (
    AnnualPlanFactory,
    DeliberationOpinionFactory,
    RectificationItemFactory,
    SatisfactionVoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

State = Topic.State
Status = RectificationItem.Status
TODAY = datetime.date(2027, 10, 15)


@pytest.fixture
def year_2027(district_body, monkeypatch):
    """Three work reports (two planned, one closed) and an inspection in progress in 2027; one topic
    in 2026. Votes: round 1 failed (2+1 satisfied, 1 basically, 2 unsatisfied) and round 1 passed
    (4 satisfied, 1 basically); round 2 passed (3 satisfied, 2 basically); an open vote, a
    dimension vote and a 2026 vote that do not count. Ledger: 卫健局 one overdue, one open and one
    done item; 教育局 one done item; a 2026 item that does not count."""
    monkeypatch.setattr(statistics, "today", lambda: TODAY)
    plan = AnnualPlanFactory(body=district_body, year=2027)
    old_plan = AnnualPlanFactory(body=district_body, year=2026)
    reports = [TopicFactory(plan=plan, kind=TopicKind.WORK_REPORT, state=state)
               for state in (State.PLANNED, State.PLANNED, State.CLOSED)]
    TopicFactory(plan=plan, kind=TopicKind.INSPECTION, state=State.IN_PROGRESS)
    old_topic = TopicFactory(plan=old_plan, kind=TopicKind.RESEARCH)

    SatisfactionVoteFactory(topic=reports[0], round=1, online_satisfied=2, paper_satisfied=1, paper_basically=1,
                            online_unsatisfied=2, passed=False)
    SatisfactionVoteFactory(topic=reports[1], round=1, online_satisfied=4, online_basically=1, passed=True)
    SatisfactionVoteFactory(topic=reports[0], round=2, online_satisfied=3, paper_basically=2, passed=True)
    SatisfactionVoteFactory(topic=reports[2], round=1, online_satisfied=5, state="open", closed_at=None)
    SatisfactionVoteFactory(topic=reports[2], round=1, dimension="服务", online_satisfied=5, passed=True)
    SatisfactionVoteFactory(topic=old_topic, round=1, online_satisfied=5, passed=True)

    health, education = UnitFactory(name="区卫健局"), UnitFactory(name="区教育局")
    opinion = DeliberationOpinionFactory(topic=reports[0])
    RectificationItemFactory(opinion=opinion, owner_unit=health, due_on=datetime.date(2027, 9, 1))
    RectificationItemFactory(opinion=opinion, owner_unit=health, status=Status.IN_PROGRESS,
                             due_on=datetime.date(2027, 12, 1))
    RectificationItemFactory(opinion=opinion, owner_unit=health, status=Status.DONE, due_on=datetime.date(2027, 9, 1))
    RectificationItemFactory(opinion=opinion, owner_unit=education, status=Status.DONE)
    RectificationItemFactory(opinion=DeliberationOpinionFactory(topic=old_topic), owner_unit=education)
    return plan


def test_the_figures_match_the_hand_count(year_2027, staff_clerk, django_assert_num_queries):
    staff_clerk.refresh_from_db()
    with django_assert_num_queries(4):  # the user's role grants, then one aggregate per table
        figures = statistics.compute(staff_clerk, year=2027)

    assert [(row.kind, row.by_state, row.total) for row in figures.kinds] == [
        (TopicKind.WORK_REPORT, {State.PLANNED: 2, State.CLOSED: 1}, 3),
        (TopicKind.INSPECTION, {State.IN_PROGRESS: 1}, 1),
    ]
    assert [(row.round, row.held, row.passed, row.failed, row.satisfied, row.basically, row.unsatisfied)
            for row in figures.rounds] == [(1, 2, 1, 1, 7, 2, 2), (2, 1, 1, 0, 3, 2, 0)]
    assert [(row.unit, row.open, row.closed, row.overdue) for row in figures.units] == [
        ("区卫健局", 2, 1, 1), ("区教育局", 0, 1, 0),
    ]


def test_the_page_shows_tables_and_chart_data_for_the_chosen_year(client, login, year_2027, leader):
    login(client, leader)
    response = client.get(reverse("console:supervision:statistics"), {"year": 2027})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="topics-table"' in page and 'id="votes-table"' in page and 'id="ledger-table"' in page
    assert response.context["charts"]["votes"]["series"]["satisfied"] == [7, 3]
    assert "echarts.min.js" in page and 'id="ledger-chart-data"' in page
    other_year = client.get(reverse("console:supervision:statistics"), {"year": 2026})
    assert [row.kind for row in other_year.context["statistics"].kinds] == [TopicKind.RESEARCH]


def test_the_page_costs_the_same_queries_with_more_data(
    client, login, year_2027, staff_clerk, django_assert_max_num_queries
):
    login(client, staff_clerk)
    client.get(reverse("console:supervision:statistics"), {"year": 2027})  # warm the session
    for _ in range(10):
        SatisfactionVoteFactory(topic=TopicFactory(plan=year_2027), round=3, passed=True)
    with django_assert_max_num_queries(12):
        client.get(reverse("console:supervision:statistics"), {"year": 2027})


def test_the_office_exports_the_statistics_and_the_export_is_logged(client, login, year_2027, staff_clerk, caplog):
    login(client, staff_clerk)
    with caplog.at_level(logging.INFO, logger="tongxin.security"):
        response = client.get(reverse("console:supervision:statistics_export"), {"year": 2027})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 3
    rounds = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert rounds[1:] == [(1, 2, 1, 1, 7, 2, 2), (2, 1, 1, 0, 3, 2, 0)]
    [record] = [json.loads(record.message) for record in caplog.records if '"export"' in record.message]
    assert record["object"] == "supervision.statistics" and record["filters"] == {"year": 2027}


def test_a_member_reads_the_statistics_but_cannot_export_and_a_deputy_sees_neither(
    client, login, year_2027, member, deputy_user
):
    login(client, member)
    page = client.get(reverse("console:supervision:statistics"), {"year": 2027})
    assert page.status_code == 200
    assert reverse("console:supervision:statistics_export") not in page.content.decode()
    assert client.get(reverse("console:supervision:statistics_export"), {"year": 2027}).status_code == 403
    login(client, deputy_user)
    assert client.get(reverse("console:supervision:statistics")).status_code == 403


def test_a_unit_name_that_looks_like_a_formula_is_exported_as_text(client, login, year_2027, staff_clerk):
    RectificationItemFactory(opinion=DeliberationOpinionFactory(topic=TopicFactory(plan=year_2027)),
                             owner_unit=UnitFactory(name="=HYPERLINK(1)"))
    login(client, staff_clerk)
    response = client.get(reverse("console:supervision:statistics_export"), {"year": 2027})
    names = [row[0] for row in load_workbook(io.BytesIO(response.content)).worksheets[2].iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in names
