"""Handling statistics against hand-computed figures: on-time rate, reply classes, first-round and
final satisfaction with paper ratings counted apart, re-handling rounds; the page with its chart
data and table; the Excel export, formula-safe and logged."""

import datetime
import io
import json
import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from suggestions import services, statistics
from suggestions.models import Category

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scan\n"
STATISTICS = reverse("console:suggestions:statistics")
EXPORT = reverse("console:suggestions:statistics_export")


def _paper(flow, assignment, *, attitude, result, reason=""):
    services.rating_enter_paper(
        actor=flow.staff, assignment=assignment, attitude=attitude, result=result, reason=reason,
        scan=SimpleUploadedFile("form.pdf", PDF), staff_reason="代表当面填写纸质表",
    )


@pytest.fixture
def year_of_handling(flow, district_body, education_bureau):
    """Five assignments of proposals received today, walked through the real services.

    卫健局 (flow.unit): P1 replied A on time, rated satisfied/satisfied from the portal;
    P2 replied B on time, rated basically/unsatisfied, re-handled, replied A, rated on paper
    satisfied/satisfied; P5 assigned 100 days ago and replied C today (late), not yet rated.
    教育局: P3 replied D on time, rated on paper satisfied/basically; P4 assigned 120 days ago,
    never replied (overdue).
    """
    today = datetime.date.today()
    city = Category.objects.create(body=district_body, name="城乡建设")
    p1 = flow.replied(reply_class="A", category=city)
    services.rating_submit(actor=flow.deputy_user, assignment=p1, attitude="satisfied", result="satisfied")

    p2 = flow.replied(reply_class="B", category=city)
    services.rating_submit(actor=flow.deputy_user, assignment=p2, attitude="basically_satisfied",
                           result="unsatisfied", reason="没有解决")
    services.rehandling_order(actor=flow.staff, assignment=p2)
    p2 = flow.replied(reply_class="A", assignment=p2)
    _paper(flow, p2, attitude="satisfied", result="satisfied")

    p5 = flow.replied(reply_class="C", category=city, assigned_on=today - datetime.timedelta(days=100))

    flow.unit, flow.unit_officer = education_bureau, _officer(education_bureau)
    p3 = flow.replied(reply_class="D")
    _paper(flow, p3, attitude="satisfied", result="basically_satisfied")
    p4 = flow.assigned(assigned_on=today - datetime.timedelta(days=120))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "today": today}


def _officer(unit):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    return user_with_role(Role.UNIT_OFFICER, username=f"officer_{unit.pk}", unit=unit)


def _by(figures_list):
    return {figures.label: figures for figures in figures_list}


def test_statistics_match_the_hand_computed_figures(year_of_handling, staff_admin, district_body,
                                                    health_bureau, education_bureau):
    today = year_of_handling["today"]
    result = statistics.compute(staff_admin, body=district_body, year=today.year, today=today)
    units = _by(result.by["unit"])
    health, education = units[health_bureau.name], units[education_bureau.name]

    # 卫健局: P1, P2 on time; P5 late.
    assert (health.assignments, health.replied, health.judged, health.on_time) == (3, 3, 3, 2)
    assert health.on_time_rate == 66.7
    assert dict(health.classes) == {"A": 2, "C": 1}  # P2 counts by its latest reply
    assert health.class_share("A") == 66.7 and health.class_share("C") == 33.3
    # First round from the deputy's own account: P1 satisfied, P2 unsatisfied on the result.
    assert health.first.count == 2
    assert health.first.satisfied_rate() == 50.0 and health.first.satisfied_rate("attitude") == 100.0
    assert health.first_paper.count == 0
    # Final: P1 own account; P2's second round was entered from paper and counts apart.
    assert health.final.count == 1 and health.final.satisfied_rate() == 100.0
    assert health.final_paper.count == 1 and health.final_paper.satisfied_rate() == 100.0
    assert health.rehandling == 1 and health.not_rated == 0

    # 教育局: P3 on time; P4 overdue and unreplied counts against the rate.
    assert (education.assignments, education.replied, education.judged, education.on_time) == (2, 1, 2, 1)
    assert education.on_time_rate == 50.0
    assert dict(education.classes) == {"D": 1}
    assert education.first.count == 0 and education.first.satisfied_rate() is None
    assert education.first_paper.count == 1 and education.first_paper.satisfied_rate() == 100.0
    assert education.first_paper.fully_satisfied_rate() == 0.0  # basically satisfied only
    assert education.final_paper.count == 1

    total = result.total
    assert (total.assignments, total.judged, total.on_time, total.on_time_rate) == (5, 5, 3, 60.0)
    assert (total.first.count, total.first_paper.count, total.final.count, total.final_paper.count) == (2, 1, 1, 2)
    assert total.rehandling == 1

    categories = _by(result.by["category"])
    assert categories["城乡建设"].assignments == 3 and categories["城乡建设"].on_time == 2
    assert sum(figures.assignments for figures in result.by["deputy"]) == 5


def test_first_round_is_judged_against_its_own_due_date_after_re_handling(flow, staff_admin, district_body):
    """A re-handled item keeps the first round's on-time verdict, not the new one-month date."""
    today = datetime.date.today()
    late = flow.replied(assigned_on=today - datetime.timedelta(days=100))
    services.rating_submit(actor=flow.deputy_user, assignment=late, attitude="satisfied", result="unsatisfied",
                           reason="不满意")
    services.rehandling_order(actor=flow.staff, assignment=late)

    result = statistics.compute(staff_admin, body=district_body, year=today.year, today=today)
    assert (result.total.judged, result.total.on_time) == (1, 0)


def test_statistics_page_shows_the_table_and_the_chart_data(client, login, year_of_handling, leader,
                                                            health_bureau):
    response = login(client, leader).get(STATISTICS)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="statistics-chart-data"' in content and "js/suggestions-statistics.js" in content
    chart = response.context["chart"]
    assert chart["labels"][0] == health_bureau.name and chart["series"][0]["data"][0] == 3
    embedded = re.search(r'<script id="statistics-chart-data" type="application/json">(.*?)</script>', content)
    assert json.loads(embedded.group(1)) == chart
    # The table fallback carries the same figures.
    assert "66.7%" in content


def test_unit_officers_and_deputies_have_no_statistics(client, login, unit_officer, deputy_user):
    for user in (unit_officer, deputy_user):
        assert login(client, user).get(STATISTICS).status_code == 403
        assert client.get(EXPORT).status_code == 403


@pytest.mark.parametrize("count", [5, 50])
def test_statistics_cost_the_same_queries_for_5_or_50_items(client, login, flow, staff_admin, count,
                                                            django_assert_max_num_queries):
    for _index in range(count):
        assignment = flow.replied()
        services.rating_submit(actor=flow.deputy_user, assignment=assignment, attitude="satisfied",
                               result="satisfied")
    login(client, staff_admin)
    with django_assert_max_num_queries(18):
        assert client.get(STATISTICS).status_code == 200


@pytest.fixture
def security_lines(caplog):
    security_logger = logging.getLogger("tongxin.security")
    security_logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tongxin.security")

    def lines(code):
        return [
            line
            for line in (json.loads(r.getMessage()) for r in caplog.records if r.name == "tongxin.security")
            if line["event"] == code
        ]

    yield lines
    security_logger.removeHandler(caplog.handler)


def test_excel_export_is_formula_safe_and_logged(client, login, flow, staff_admin, district_body, security_lines):
    hostile = Category.objects.create(body=district_body, name="=HYPERLINK(\"http://evil\",\"x\")")
    flow.replied(category=hostile)
    flow.deputy.name = "+1 代表"
    flow.deputy.save(update_fields=["name"])

    response = login(client, staff_admin).get(EXPORT, {"year": datetime.date.today().year})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == [str(label) for label in statistics.DIMENSIONS.values()]
    cells = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells
    assert "'+1 代表" in cells
    assert not any(isinstance(cell, str) and cell.startswith(("=", "+", "-", "@")) for cell in cells)
    [line] = security_lines("export")
    assert line["object"] == "suggestions.statistics" and line["username"] == "staff_admin"
    assert line["rows"] == 1
