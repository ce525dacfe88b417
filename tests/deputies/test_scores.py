import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.rules import rules_for
from deputies import selectors, services
from deputies.models import ActivityKind, DutyActivity, DutyParticipation
from tests.factories.deputies import ConstituencyFactory, DeputyFactory, participate

YEAR = 2026


def _score(deputy):
    return selectors.deputy_score(deputy, YEAR)


def test_score_is_points_per_attended_activity(district_body):
    deputy = DeputyFactory(body=district_body)
    participate(deputy, kind=ActivityKind.INSPECTION, times=2)  # default 5 points each
    participate(deputy, kind=ActivityKind.TRAINING, times=1)  # default 3 points
    result = _score(deputy)
    assert result.score == 13
    assert {item.kind: item.points for item in result.by_kind} == {"inspection": 10, "training": 3}


def test_each_kind_is_capped_per_year(district_body):
    deputy = DeputyFactory(body=district_body)
    participate(deputy, kind=ActivityKind.TRAINING, times=5)  # 3 points, cap 9
    (training,) = _score(deputy).by_kind
    assert (training.activities, training.raw_points, training.points, training.capped) == (5, 15, 9, True)


def test_unverified_and_unattended_activities_do_not_count(district_body):
    deputy = DeputyFactory(body=district_body)
    participate(deputy, kind=ActivityKind.INSPECTION, state=DutyActivity.State.PENDING)
    participate(deputy, kind=ActivityKind.INSPECTION, state=DutyActivity.State.REJECTED)
    participate(deputy, kind=ActivityKind.INSPECTION, attendance=DutyParticipation.Attendance.ABSENT)
    participate(deputy, kind=ActivityKind.INSPECTION, attendance=DutyParticipation.Attendance.LEAVE_APPROVED)
    participate(deputy, kind=ActivityKind.INSPECTION, date=datetime.date(YEAR - 1, 12, 31))
    assert _score(deputy).score == 0


def test_a_verified_self_report_counts_at_the_next_read(staff_clerk, deputy_user, deputy):
    activity = services.activity_self_report(
        actor=deputy_user, deputy=deputy, kind=ActivityKind.VOTER_VISIT, date=datetime.date(YEAR, 3, 1), title="走访"
    )
    assert _score(deputy).score == 0
    services.activity_verify(actor=staff_clerk, activity=activity)
    assert _score(deputy).score == 2


def test_a_rule_change_recomputes_every_score(staff_admin, district_body):
    deputy = DeputyFactory(body=district_body)
    participate(deputy, kind=ActivityKind.INSPECTION, times=3)
    assert _score(deputy).score == 15
    services.score_rule_set(actor=staff_admin, body=district_body, kind="inspection", points=8, yearly_cap=None)
    assert _score(deputy).score == 24
    services.score_rule_set(actor=staff_admin, body=district_body, kind="inspection", points=8, yearly_cap=16)
    assert _score(deputy).score == 16


def test_points_override_replaces_the_rule_points_under_the_cap(district_body):
    deputy = DeputyFactory(body=district_body)
    participate(deputy, kind=ActivityKind.MOTION, points_override=15)  # rule: 10, cap 20
    participate(deputy, kind=ActivityKind.MOTION)
    (motion,) = _score(deputy).by_kind
    assert (motion.activities, motion.raw_points, motion.points) == (2, 25, 20)


def test_only_staff_admins_edit_the_rules(staff_clerk, district_body):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.score_rule_set(actor=staff_clerk, body=district_body, kind="inspection", points=8, yearly_cap=None)


def test_bands_follow_the_bodys_thresholds(district_body):
    good, fair, poor = (DeputyFactory(body=district_body) for _ in range(3))
    participate(good, kind=ActivityKind.STANDING_COMMITTEE, times=6)  # 30
    participate(good, kind=ActivityKind.SESSION, times=2)  # 20
    participate(good, kind=ActivityKind.INSPECTION, times=4)  # 20
    participate(good, kind=ActivityKind.RESEARCH, times=2)  # 10  -> 80
    participate(fair, kind=ActivityKind.STANDING_COMMITTEE, times=6)  # 30
    participate(fair, kind=ActivityKind.INSPECTION, times=6)  # 20 (capped) + 30 = 50
    participate(fair, kind=ActivityKind.RESEARCH, times=2)  # 10 -> 60
    participate(poor, kind=ActivityKind.RESEARCH, times=11)  # 20 (capped)
    bands = {item.deputy.pk: (item.score, item.band) for item in selectors.body_scores(district_body, YEAR)}
    assert bands == {good.pk: (80, "good"), fair.pk: (60, "fair"), poor.pk: (20, "poor")}

    rules = rules_for(district_body)
    rules.score_good_threshold, rules.score_fair_threshold = 90, 20
    rules.save()
    district_body._rules_cache = None
    bands = {item.deputy.pk: item.band for item in selectors.body_scores(district_body, YEAR)}
    assert bands == {good.pk: "fair", fair.pk: "fair", poor.pk: "fair"}


def test_ranking_within_the_body_and_within_each_town(district_body, town_a, town_b):
    in_a = ConstituencyFactory(body=district_body, number=1, region=town_a)
    in_b = ConstituencyFactory(body=district_body, number=2, region=town_b)
    first_a, tied_a, only_b = (DeputyFactory(body=district_body, constituency=c) for c in (in_a, in_a, in_b))
    last_a = DeputyFactory(body=district_body, constituency=in_a)
    participate(first_a, kind=ActivityKind.RESEARCH, times=3)  # 15
    participate(tied_a, kind=ActivityKind.INSPECTION, times=3)  # 15
    participate(only_b, kind=ActivityKind.RESEARCH, times=2)  # 10
    scores = {item.deputy.pk: item for item in selectors.body_scores(district_body, YEAR)}
    assert [scores[d.pk].rank_in_body for d in (first_a, tied_a, only_b, last_a)] == [1, 1, 3, 4]
    assert [scores[d.pk].rank_in_town for d in (first_a, tied_a, only_b, last_a)] == [1, 1, 1, 3]
    assert scores[only_b.pk].town == town_b and scores[last_a.pk].town == town_a


def test_township_deputies_rank_within_their_town(township_body_a, town_a):
    deputies = [DeputyFactory(body=township_body_a) for _ in range(2)]
    participate(deputies[1], kind=ActivityKind.INSPECTION)
    scores = selectors.body_scores(township_body_a, YEAR)
    assert [(item.deputy, item.rank_in_town, item.town) for item in scores] == [
        (deputies[1], 1, town_a), (deputies[0], 2, town_a),
    ]


def test_ended_mandates_are_left_out_of_the_ranking(district_body):
    serving = DeputyFactory(body=district_body)
    DeputyFactory(body=district_body, status="resigned")
    assert [item.deputy for item in selectors.body_scores(district_body, YEAR)] == [serving]


def _ranking_queries(body, count, town):
    constituency = ConstituencyFactory(body=body, number=count, region=town)
    for _index in range(count):
        deputy = DeputyFactory(body=body, constituency=constituency)
        participate(deputy, kind=ActivityKind.INSPECTION, times=2)
        participate(deputy, kind=ActivityKind.TRAINING)
    body.refresh_from_db()
    body._rules_cache = None
    with CaptureQueriesContext(connection) as queries:
        scores = selectors.body_scores(body, YEAR)
    assert len(scores) == DutyParticipation.objects.values("deputy").distinct().count()
    return len(queries)


def test_ranking_costs_the_same_queries_for_10_and_100_deputies(district_body, township_body_a, town_a, town_b,
                                                                django_assert_max_num_queries):
    rules_for(district_body), rules_for(township_body_a)  # rows exist, as they do after the first read
    small = _ranking_queries(township_body_a, 10, town_a)
    DutyParticipation.objects.all().delete()
    large = _ranking_queries(district_body, 100, town_b)
    assert small == large
    with django_assert_max_num_queries(5):
        selectors.body_scores(district_body, YEAR)
