"""Statistics per station and per town, checked against figures worked out by hand."""

import datetime
import io
import json
import logging
import zoneinfo

import pytest
from openpyxl import load_workbook

from contact_stations import statistics
from contact_stations.models import DutyShift, Opinion, Rating, ReturnVisit
from tests.factories.stations import DutyShiftFactory, OpinionFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
State = Opinion.State
HELD = DutyShift.State.HELD


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def rate(opinion, rating, when, round_number=1):
    ReturnVisit.objects.create(opinion=opinion, round=round_number, rating=rating, rated_at=when, channel="link")


@pytest.fixture
def year_2025(station_a, town_room_a, station_b):
    """Hand-made year 2025 of the three stations (and noise from 2024 and 2026)."""
    day = datetime.date
    # Shifts: only held ones of 2025 count.
    DutyShiftFactory(station=station_a, date=day(2025, 3, 25), state=HELD, visitor_count=10)
    DutyShiftFactory(station=station_a, date=day(2025, 6, 25), state=HELD, visitor_count=5)
    DutyShiftFactory(station=station_a, date=day(2024, 12, 25), state=HELD, visitor_count=100)
    DutyShiftFactory(station=station_a, date=day(2025, 7, 25), state=DutyShift.State.CANCELLED)
    DutyShiftFactory(station=station_a, date=day(2025, 8, 25), state=DutyShift.State.PUBLISHED)
    DutyShiftFactory(station=town_room_a, date=day(2025, 5, 1), state=HELD, visitor_count=7)
    DutyShiftFactory(station=station_b, date=day(2025, 2, 1), state=HELD, visitor_count=3)

    def opinion(station, received, state=State.RECEIVED, answered=None, due=None):
        return OpinionFactory(
            station=station, received_on=received, state=state, answered_at=answered,
            answer_due=due or received + datetime.timedelta(days=21),
        )

    # Station A: four opinions of 2025.
    on_time = opinion(station_a, day(2025, 3, 1), State.CLOSED, at(2025, 3, 20, 23, 30), day(2025, 3, 20))
    opinion(station_a, day(2025, 4, 1), State.ANSWERED, at(2025, 4, 30, 9), day(2025, 4, 10))  # late
    # Answered at 01:00 on the 21st in Shanghai (the 20th in UTC): one day late, not on time.
    opinion(station_a, day(2025, 3, 2), State.ANSWERED, at(2025, 3, 21, 1), day(2025, 3, 20))
    opinion(station_a, day(2025, 5, 1))
    opinion(station_a, day(2024, 12, 30), State.CLOSED, at(2025, 1, 5), day(2025, 1, 20))  # received in 2024
    # The town room: one, closed on time. Station B: one, open.
    room = opinion(town_room_a, day(2025, 6, 1), State.CLOSED, at(2025, 6, 5), day(2025, 6, 20))
    opinion(station_b, day(2025, 9, 1))
    # Ratings given in 2025 count; a rating of a later closure in 2026 does not.
    rate(on_time, Rating.SATISFIED, at(2025, 3, 25, 10))
    rate(on_time, Rating.BASICALLY_SATISFIED, at(2026, 1, 3, 10), round_number=2)
    rate(room, Rating.UNSATISFIED, at(2025, 6, 9, 10))


def _by_name(rows):
    return {row.name: row for row in rows}


def test_station_figures_match_the_hand_count(year_2025, staff_clerk, station_a, town_room_a, station_b,
                                              django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        rows = _by_name(statistics.station_figures(staff_clerk, year=2025))

    a, room, b = rows[station_a.name], rows[town_room_a.name], rows[station_b.name]
    assert (a.shifts_held, a.visitors, a.received, a.closed, a.on_time) == (2, 15, 4, 1, 1)
    assert (a.satisfied, a.basically_satisfied, a.unsatisfied, a.satisfaction_rate) == (1, 0, 0, 100.0)
    assert (room.shifts_held, room.visitors, room.received, room.closed, room.on_time) == (1, 7, 1, 1, 1)
    assert (room.unsatisfied, room.satisfaction_rate) == (1, 0.0)
    assert (b.shifts_held, b.visitors, b.received, b.closed, b.on_time, b.satisfaction_rate) == (1, 3, 1, 0, 0, None)
    assert a.on_time_rate == 25.0


def test_town_figures_add_up_their_stations(year_2025, staff_clerk, town_a, town_b):
    towns = _by_name(statistics.town_figures(statistics.station_figures(staff_clerk, year=2025)))

    town = towns[town_a.name]
    assert (town.shifts_held, town.visitors, town.received, town.closed, town.on_time) == (3, 22, 5, 2, 2)
    assert (town.satisfied, town.unsatisfied, town.satisfaction_rate) == (1, 1, 50.0)
    assert towns[town_b.name].received == 1


def test_a_township_officer_gets_their_towns_stations_only(year_2025, township_officer_a, station_a, town_room_a):
    rows = statistics.station_figures(township_officer_a, year=2025)

    assert {row.name for row in rows} == {station_a.name, town_room_a.name}
    assert statistics.totals(rows, "all").received == 5


def test_the_statistics_page_has_a_chart_from_json_and_a_table_fallback(
    client, login, year_2025, township_officer_a, town_a
):
    response = login(client, township_officer_a).get("/console/stations/statistics/", {"year": 2025})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="stations-chart-data" type="application/json"' in body
    assert "js/stations-charts.js" in body and "vendor/echarts/echarts.min.js" in body
    assert response.context["chart"]["labels"] == [station.name for station in response.context["station_rows"]]
    # No inline script without the nonce (CSP): every <script> tag carries it or is JSON data.
    nonce = response.wsgi_request.csp_nonce
    for tag in body.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert f'nonce="{nonce}"' in head or 'type="application/json"' in head
    [town_row] = response.context["town_rows"]
    assert (town_row.name, town_row.visitors) == (town_a.name, 22)


def test_the_statistics_export_is_logged(client, login, year_2025, township_officer_a, caplog):
    login(client, township_officer_a)
    with caplog.at_level(logging.INFO, logger="tongxin.security"):
        response = client.get("/console/stations/statistics/export/", {"year": 2025})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 + 1  # header, two stations, one town
    records = [json.loads(record.message) for record in caplog.records if '"export"' in record.message]
    assert records[0]["object"] == "contact_stations.statistics" and records[0]["rows"] == 3
