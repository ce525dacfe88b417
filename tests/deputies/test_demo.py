"""The deputies' demo data (deputies.demo), built on the small demo district of tests/conftest.py:
the roster and its accounts, scores in every band, the absence alert, the voter report's ballot,
the selection, 双联系 and the theme year."""

import datetime

import pytest
from django.db import transaction

from congress.demo import DemoDistrict
from congress.fields import blind_index
from congress.models import Body, Notification, RoleGrant
from congress.models.accounts import Role
from deputies import demo as deputies_demo
from deputies.models import (
    DEFAULT_SCORE_RULES,
    ActivityKind,
    ContactLog,
    ContactPair,
    Deputy,
    DutyActivity,
    DutyParticipation,
    Nomination,
    ScoreRule,
    Selection,
    ThemeYear,
    VoterReport,
    id_number_is_valid,
    validate_phone,
)
from deputies.selectors import ScoreBand, body_scores, deputy_score, verification_queue
from deputies.services import _staff_recipients
from tests.conftest import SMALL_DEMO_SIZES

pytestmark = pytest.mark.django_db

YEAR = deputies_demo.DEMO_YEAR


def test_full_size_counts_are_the_real_districts():
    assert deputies_demo.DISTRICT_DEPUTIES == 223
    assert deputies_demo.TOWNSHIP_DEPUTIES == 446
    # Without sizes, the demo district asks for the real numbers.
    assert DemoDistrict().size("district_deputies", deputies_demo.DISTRICT_DEPUTIES) == 223
    assert DemoDistrict().size("township_deputies", deputies_demo.TOWNSHIP_DEPUTIES) == 446


def test_demo_builds_the_requested_numbers_of_deputies_in_every_town(demo_deputies):
    demo = demo_deputies
    district = Deputy.objects.filter(body=demo.body)
    township = Deputy.objects.filter(body__level=Body.Level.TOWNSHIP)
    assert district.count() == len(demo.district_deputies) == SMALL_DEMO_SIZES["district_deputies"]
    assert township.count() == len(demo.township_deputies) == SMALL_DEMO_SIZES["township_deputies"]
    assert demo.counts["district deputies"] == 14 and demo.counts["township deputies"] == 16
    for town in demo.towns:
        assert district.filter(constituency__region__path__startswith=town.path).exists()
        assert township.filter(body=demo.township_bodies[town.code]).exists()
    # Every district deputy sits in their town's delegation and a constituency of the current term.
    assert not district.filter(delegation__isnull=True).exists()
    assert not district.exclude(constituency__term=demo.term).exists()
    assert district.filter(is_standing_committee_member=True).count() == SMALL_DEMO_SIZES["standing_committee_members"]
    assert district.filter(is_district_leader=True).count() == SMALL_DEMO_SIZES["district_leaders"]


def test_the_demo_deputy_and_the_member_log_in_to_their_own_district_mandates(demo_deputies):
    users = demo_deputies.users
    deputy = Deputy.objects.get(user=users["deputy"])
    member = Deputy.objects.get(user=users["member"])

    assert deputy.body == member.body == demo_deputies.body
    assert deputy.name == users["deputy"].full_name and member.name == users["member"].full_name
    assert member.is_standing_committee_member and not deputy.is_standing_committee_member
    for user in (users["deputy"], users["member"]):
        assert RoleGrant.objects.active().filter(user=user, role=Role.DEPUTY, body=demo_deputies.body).exists()
    # The demo deputy's year sits in the fair band, with reports still waiting to count.
    assert deputy_score(deputy, YEAR).band == ScoreBand.FAIR
    assert deputy_score(member, YEAR).band == ScoreBand.GOOD


def test_scores_spread_over_all_three_bands_in_every_congress(demo_deputies):
    for body in [demo_deputies.body, *demo_deputies.township_bodies.values()]:
        bands = {item.band for item in body_scores(body, YEAR)}
        assert bands == {ScoreBand.GOOD, ScoreBand.FAIR, ScoreBand.POOR}, body


def test_secrets_are_valid_encrypted_and_indexed(demo_deputies):
    for deputy in Deputy.objects.all():
        assert id_number_is_valid(deputy.id_number), deputy.id_number
        validate_phone(deputy.phone)
        assert deputy.id_number_index == blind_index(deputy.id_number)
        assert deputy.phone_index == blind_index(deputy.phone)
        # The gender digit of the ID number matches the roster (odd for men).
        assert int(deputy.id_number[16]) % 2 == (deputy.gender == "male")
    names = list(Deputy.objects.filter(linked_mandate__isnull=True).values_list("name", flat=True))
    assert len(names) == len(set(names))


def test_people_with_both_mandates_are_linked_both_ways(demo_deputies):
    linked = Deputy.objects.filter(body=demo_deputies.body, linked_mandate__isnull=False).select_related(
        "linked_mandate__body"
    )
    assert linked.exists()
    assert demo_deputies.counts["deputies with both mandates"] == linked.count()
    for deputy in linked:
        other = deputy.linked_mandate
        assert other.body.level == Body.Level.TOWNSHIP and other.linked_mandate_id == deputy.pk
        assert other.id_number_index == deputy.id_number_index and other.name == deputy.name
        assert deputy.constituency.region.path.startswith(other.body.region.path)


def test_one_deputy_missed_two_sessions_without_leave_and_staff_were_alerted_once(demo_deputies):
    absences = DutyParticipation.objects.filter(
        attendance=DutyParticipation.Attendance.ABSENT, activity__kind=ActivityKind.SESSION
    )
    absentee = set(absences.values_list("deputy", flat=True))
    assert len(absentee) == 1 and absences.count() == deputies_demo.ABSENCES
    alerts = Notification.objects.filter(kind="deputies.unexcused_absence")
    assert alerts.count() == len(_staff_recipients(demo_deputies.body))
    assert set(alerts.values_list("dedupe_key", flat=True)) == {f"deputies.unexcused_absence:{absentee.pop()}:2"}


def test_self_reports_wait_for_verification_and_one_was_rejected(demo_deputies):
    deputy_user = demo_deputies.users["deputy"]
    reports = DutyActivity.objects.filter(reported_by=deputy_user, source=DutyActivity.Source.SELF_REPORTED)
    assert sorted(reports.values_list("state", flat=True)) == ["pending", "pending", "rejected", "verified"]
    queue = verification_queue(demo_deputies.users["clerk"], body=demo_deputies.body)
    assert set(reports.filter(state="pending")) <= set(queue)
    assert Notification.objects.filter(recipient=deputy_user, kind="deputies.activity_rejected").exists()


def test_the_demo_deputy_reported_to_voters_and_the_ballot_is_closed(demo_deputies):
    report = VoterReport.objects.get(state=VoterReport.State.CLOSED)
    assert report.deputy.user == demo_deputies.users["deputy"]
    assert report.representatives_present >= report.representatives_minimum == 50
    online = report.slips.exclude(choice="").count()
    paper = sum(t.satisfied + t.basically_satisfied + t.unsatisfied for t in report.paper_tallies.all())
    assert online and paper and report.slips.filter(choice="").exists()
    assert report.total_votes == online + paper
    assert report.unsatisfied * 2 < report.total_votes
    assert report.questions.count() == 3
    assert DutyActivity.objects.filter(kind=ActivityKind.VOTER_REPORT, participations__deputy=report.deputy).exists()
    assert VoterReport.objects.filter(state=VoterReport.State.PLANNED).exists()


def test_the_outstanding_deputy_selection_is_taking_nominations_by_town(demo_deputies):
    selection = Selection.objects.get(body=demo_deputies.body, year=YEAR)
    assert selection.state == Selection.State.NOMINATING
    assert selection.quota == selection.pool_size * 20 // 100
    nominations = Nomination.objects.filter(selection=selection).select_related("deputy")
    assert nominations.exists()
    assert not any(n.deputy.is_district_leader for n in nominations)
    assert {n.town_id for n in nominations} <= {town.pk for town in demo_deputies.towns}
    assert nominations.filter(nominated_by=demo_deputies.users["township"]).exists()


def test_every_standing_committee_member_has_contact_pairs_and_some_logs(demo_deputies):
    members = Deputy.objects.filter(body=demo_deputies.body, is_standing_committee_member=True)
    pairs = ContactPair.objects.filter(year=YEAR)
    assert set(pairs.values_list("member", flat=True)) == set(members.values_list("pk", flat=True))
    assert ContactLog.objects.exists()
    # The two demo accounts are a pair, and both sides have logged a contact.
    pair = pairs.get(member__user=demo_deputies.users["member"], deputy__user=demo_deputies.users["deputy"])
    assert {ContactLog.Side.MEMBER, ContactLog.Side.DEPUTY} <= set(pair.logs.values_list("logged_side", flat=True))
    # Every log counts for both sides of its pair.
    contacts = DutyActivity.objects.filter(kind=ActivityKind.COMMITTEE_CONTACT)
    assert contacts.count() == ContactLog.objects.count()
    assert DutyParticipation.objects.filter(activity__in=contacts).count() == 2 * contacts.count()


def test_the_theme_year_tags_activities_and_the_rules_are_the_bodys_own(demo_deputies):
    theme = ThemeYear.objects.get(body=demo_deputies.body, year=YEAR)
    assert theme.name == "争当表率促发展"
    assert DutyActivity.objects.filter(theme_year=theme).exists()
    # The year's record stops before the seed's own day of writing (28 November 2026).
    assert not DutyActivity.objects.filter(date__gt=datetime.date(YEAR, 11, 27)).exists()
    assert set(ScoreRule.objects.filter(body=demo_deputies.body).values_list("kind", flat=True)) == set(
        DEFAULT_SCORE_RULES
    )


def test_the_demo_is_the_same_for_a_seed(demo_district):
    def build():
        with transaction.atomic():
            demo_district.begin_app("deputies")
            deputies_demo.build(demo_district)
            built = (
                list(Deputy.objects.order_by("body__region__code", "name").values_list("name", "party", "id_number")),
                sorted((item.deputy.name, item.score) for item in body_scores(demo_district.body, YEAR)),
            )
            transaction.set_rollback(True)
        return built

    assert build() == build()
