"""Reports to voters: the plan, the meeting, single-use ballot links, paper tallies, the live tally,
and the rectification plan that more than half 不满意 requires."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from congress.models import Event, Notification
from congress.workflow import IllegalTransition, TransitionForbidden
from deputies import services
from deputies.models import ActivityKind, BallotSlip, Deputy, DutyParticipation, VoterReport
from deputies.selectors_voter_reports import deputies_not_scheduled, voter_report_tally
from tests.factories.deputies import DeputyFactory

State = VoterReport.State
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def planned(staff_clerk, deputy):
    return services.voter_report_plan(actor=staff_clerk, deputy=deputy, scheduled_on=DAY, place="大同街道代表联络站")


@pytest.fixture
def held(staff_clerk, planned):
    return services.voter_report_record_meeting(
        actor=staff_clerk, report=planned, held_on=DAY, representatives_present=60, report_text="一年来履职情况……"
    )


def _vote(tokens, choices):
    for (_serial, token), choice in zip(tokens, choices, strict=False):
        services.ballot_cast(token=token, choice=choice)


# ---- plan and meeting ------------------------------------------------------------------------


def test_the_plan_warns_of_serving_deputies_not_yet_scheduled(staff_clerk, district_body, deputy, planned):
    other = DeputyFactory(body=district_body, name="未安排代表")
    DeputyFactory(body=district_body, status=Deputy.Status.RESIGNED)
    cancelled_for = DeputyFactory(body=district_body, name="已取消代表")
    report = services.voter_report_plan(actor=staff_clerk, deputy=cancelled_for, scheduled_on=DAY, place="站")
    services.voter_report_cancel(actor=staff_clerk, report=report, reason="改期")

    assert set(deputies_not_scheduled(district_body, deputy.term)) == {other, cancelled_for}


def test_only_the_congress_staff_plan_reports(unit_officer, township_officer_b, deputy):
    for outsider in (unit_officer, township_officer_b):
        with pytest.raises(PermissionDenied):
            services.voter_report_plan(actor=outsider, deputy=deputy, scheduled_on=DAY, place="站")


def test_a_meeting_below_the_minimum_of_voter_representatives_does_not_count(staff_clerk, planned):
    with pytest.raises(ValidationError) as error:
        services.voter_report_record_meeting(
            actor=staff_clerk, report=planned, held_on=DAY, representatives_present=49, report_text="报告"
        )
    assert "representatives_present" in error.value.message_dict
    planned.refresh_from_db()
    assert planned.state == State.PLANNED


def test_holding_the_meeting_opens_the_ballot_and_counts_as_a_duty(staff_clerk, deputy, held):
    held.refresh_from_db()
    assert (held.state, held.representatives_present, held.representatives_minimum) == (State.HELD, 60, 50)
    participation = DutyParticipation.objects.get(deputy=deputy)
    assert participation.activity.kind == ActivityKind.VOTER_REPORT
    assert list(Event.objects.for_object(held).values_list("verb", flat=True).order_by("pk")) == ["planned", "held"]


def test_questions_and_answers_are_recorded(staff_clerk, held):
    services.voter_report_question_add(actor=staff_clerk, report=held, question="路灯何时修？", answer="已提建议")
    assert held.questions.get().answer == "已提建议"


# ---- ballot links ----------------------------------------------------------------------------


def test_ballot_links_are_stored_only_as_digests(staff_clerk, held):
    tokens = services.ballot_slips_generate(actor=staff_clerk, report=held, count=3)
    more = services.ballot_slips_generate(actor=staff_clerk, report=held, count=2)

    assert [serial for serial, _token in tokens + more] == [1, 2, 3, 4, 5]
    stored = set(BallotSlip.objects.values_list("token_digest", flat=True))
    assert not any(token in stored for _serial, token in tokens)
    assert len({token for _serial, token in tokens + more}) == 5


def test_a_ballot_link_votes_once_and_a_second_vote_is_refused(staff_clerk, held):
    [(_serial, token)] = services.ballot_slips_generate(actor=staff_clerk, report=held, count=1)

    services.ballot_cast(token=token, choice="satisfied")
    with pytest.raises(services.BallotUsed):
        services.ballot_cast(token=token, choice="unsatisfied")

    slip = BallotSlip.objects.get()
    assert slip.choice == "satisfied" and slip.voted_at is not None


def test_an_unknown_link_is_refused(held):
    with pytest.raises(services.BallotUnknown):
        services.ballot_cast(token="not-a-real-token", choice="satisfied")


def test_links_do_not_vote_before_the_meeting_or_after_the_ballot_closed(staff_clerk, planned):
    tokens = services.ballot_slips_generate(actor=staff_clerk, report=planned, count=2)
    with pytest.raises(services.BallotClosed):
        services.ballot_cast(token=tokens[0][1], choice="satisfied")
    services.voter_report_record_meeting(
        actor=staff_clerk, report=planned, held_on=DAY, representatives_present=50, report_text="报告"
    )
    services.ballot_cast(token=tokens[0][1], choice="satisfied")
    services.voter_report_close_ballot(actor=staff_clerk, report=planned)
    with pytest.raises(services.BallotClosed):
        services.ballot_cast(token=tokens[1][1], choice="unsatisfied")


def test_the_live_tally_adds_link_votes_and_paper_tallies(staff_clerk, held):
    tokens = services.ballot_slips_generate(actor=staff_clerk, report=held, count=5)
    _vote(tokens, ["satisfied", "satisfied", "basically_satisfied", "unsatisfied"])
    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=10, basically_satisfied=3, unsatisfied=1,
                             note="第一票箱")
    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=5, basically_satisfied=0, unsatisfied=2)

    tally = voter_report_tally(held)

    assert (tally.satisfied, tally.basically_satisfied, tally.unsatisfied) == (17, 4, 4)
    assert (tally.total, tally.online, tally.paper, tally.slips) == (25, 4, 21, 5)
    assert not tally.unsatisfied_majority


def test_a_paper_tally_needs_counts_and_only_staff_enter_it(staff_clerk, unit_officer, held):
    with pytest.raises(ValidationError):
        services.paper_tally_add(actor=staff_clerk, report=held, satisfied=0, basically_satisfied=0, unsatisfied=0)
    with pytest.raises(ValidationError):
        services.paper_tally_add(actor=staff_clerk, report=held, satisfied=-1, basically_satisfied=5, unsatisfied=0)
    with pytest.raises(PermissionDenied):
        services.paper_tally_add(actor=unit_officer, report=held, satisfied=1, basically_satisfied=0, unsatisfied=0)


# ---- closing and rectification ---------------------------------------------------------------


def test_closing_stores_the_final_tally_and_a_passed_report_closes(staff_clerk, held):
    tokens = services.ballot_slips_generate(actor=staff_clerk, report=held, count=3)
    _vote(tokens, ["satisfied", "unsatisfied", "basically_satisfied"])

    services.voter_report_close_ballot(actor=staff_clerk, report=held)

    held.refresh_from_db()
    assert held.state == State.CLOSED
    assert (held.satisfied, held.basically_satisfied, held.unsatisfied) == (1, 1, 1)
    assert held.rectification_due is None


def test_exactly_half_unsatisfied_passes(staff_clerk, held):
    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=1, basically_satisfied=1, unsatisfied=2)
    services.voter_report_close_ballot(actor=staff_clerk, report=held)
    held.refresh_from_db()
    assert held.state == State.CLOSED


def test_more_than_half_unsatisfied_requires_a_rectification_plan(staff_clerk, deputy, deputy_user, held):
    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=10, basically_satisfied=14, unsatisfied=25)

    services.voter_report_close_ballot(actor=staff_clerk, report=held)

    held.refresh_from_db()
    assert held.state == State.RECTIFICATION_REQUIRED
    assert held.rectification_due is not None
    assert Notification.objects.filter(recipient=deputy_user, kind="deputies.rectification_required").exists()
    assert Notification.objects.filter(recipient=staff_clerk, kind="deputies.rectification_required").exists()
    # The report cannot be closed without the written plan.
    with pytest.raises(ValidationError):
        services.voter_report_submit_rectification(actor=deputy_user, report=held, plan="   ")
    with pytest.raises(IllegalTransition):
        services.voter_report_close_ballot(actor=staff_clerk, report=held)

    services.voter_report_submit_rectification(actor=deputy_user, report=held, plan="一、加强走访；二、……")

    held.refresh_from_db()
    assert held.state == State.CLOSED and held.rectification_plan.startswith("一、")


def test_another_deputy_cannot_write_the_plan(staff_clerk, held, district_body):
    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=0, basically_satisfied=0, unsatisfied=5)
    services.voter_report_close_ballot(actor=staff_clerk, report=held)
    other = DeputyFactory(body=district_body)
    from tests.factories.congress import UserFactory

    other.user = UserFactory()
    other.save()
    with pytest.raises(TransitionForbidden):
        services.voter_report_submit_rectification(actor=other.user, report=held, plan="代写")


def test_an_empty_ballot_cannot_be_closed(staff_clerk, held):
    with pytest.raises(ValidationError):
        services.voter_report_close_ballot(actor=staff_clerk, report=held)


def test_the_rectification_reminder_is_sent_once_per_stage(staff_clerk, deputy_user, held):
    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=0, basically_satisfied=0, unsatisfied=5)
    services.voter_report_close_ballot(actor=staff_clerk, report=held)
    held.refresh_from_db()
    due = held.rectification_due

    assert services.voter_reports_remind_rectification(today=due - datetime.timedelta(days=20)) == 0
    assert services.voter_reports_remind_rectification(today=due - datetime.timedelta(days=3)) == 1
    assert services.voter_reports_remind_rectification(today=due - datetime.timedelta(days=2)) == 0
    assert services.voter_reports_remind_rectification(today=due + datetime.timedelta(days=1)) == 1
    assert services.voter_reports_remind_rectification(today=due + datetime.timedelta(days=2)) == 0
    kinds = Notification.objects.filter(recipient=deputy_user).values_list("kind", flat=True)
    assert sorted(kinds) == sorted(
        ["deputies.rectification_required", "deputies.rectification_due_soon", "deputies.rectification_overdue"]
    )

    services.voter_report_submit_rectification(actor=deputy_user, report=held, plan="整改方案")
    assert services.voter_reports_remind_rectification(today=due + datetime.timedelta(days=30)) == 0


def test_the_reminder_task_runs_the_sweep(staff_clerk, deputy_user, held):
    from deputies import tasks

    services.paper_tally_add(actor=staff_clerk, report=held, satisfied=0, basically_satisfied=0, unsatisfied=5)
    services.voter_report_close_ballot(actor=staff_clerk, report=held)
    VoterReport.objects.filter(pk=held.pk).update(rectification_due=datetime.date(2000, 1, 1))

    tasks.remind_rectification_plans.delay()
    tasks.remind_rectification_plans.delay()

    assert Notification.objects.filter(recipient=deputy_user, kind="deputies.rectification_overdue").count() == 1


# ---- concurrency -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_votes_with_the_same_link_at_once_record_one(district, district_body):
    from congress.models.accounts import Role
    from tests.factories.congress import user_with_role

    clerk = user_with_role(Role.STAFF_CLERK, username="clerk_race", body=district_body)
    deputy = DeputyFactory(body=district_body)
    report = services.voter_report_plan(actor=clerk, deputy=deputy, scheduled_on=DAY, place="站")
    services.voter_report_record_meeting(
        actor=clerk, report=report, held_on=DAY, representatives_present=50, report_text="报告"
    )
    [(_serial, token)] = services.ballot_slips_generate(actor=clerk, report=report, count=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def vote(choice):
        try:
            barrier.wait(timeout=10)
            services.ballot_cast(token=token, choice=choice)
            outcomes.append(("won", choice))
        except services.BallotError as error:
            outcomes.append((type(error).__name__, choice))
        except Exception as error:  # surfaced by the assertion below
            outcomes.append((repr(error), choice))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(choice,)) for choice in ("satisfied", "unsatisfied")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcome for outcome, _choice in outcomes) == ["BallotUsed", "won"], outcomes
    winner = next(choice for outcome, choice in outcomes if outcome == "won")
    assert BallotSlip.objects.get().choice == winner
    assert voter_report_tally(report).total == 1
