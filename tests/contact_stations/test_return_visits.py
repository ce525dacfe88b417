"""Return visits: single-use rating links, one rating per closure, 不满意 reopens, no race with a
state change."""

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from congress.models import Event
from congress.workflow import StaleState, TransitionForbidden
from contact_stations import services, tasks
from contact_stations.models import Opinion, Rating, ReturnVisit
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.stations import OpinionFactory

State = Opinion.State


@pytest.fixture
def closed_opinion(station_a, township_officer_a, sms_outbox, django_capture_on_commit_callbacks):
    opinion = OpinionFactory(station=station_a, citizen_phone=CITIZEN_PHONE, citizen_name="张女士")
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已安排维修")
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_close(actor=township_officer_a, opinion=opinion)
    return opinion


def link_token(outbox) -> str:
    return re.search(r"/opinions/rate/([\w-]+)/", outbox[-1]["message"]).group(1)


def test_closing_sends_one_rating_link_even_if_the_task_runs_twice(closed_opinion, sms_outbox):
    visit = ReturnVisit.objects.get(opinion=closed_opinion)
    assert len(sms_outbox) == 1 and sms_outbox[0]["phone"] == CITIZEN_PHONE
    assert closed_opinion.receipt_code in sms_outbox[0]["message"]

    tasks.send_return_visit_link.delay(visit.pk)

    assert len(sms_outbox) == 1
    visit.refresh_from_db()
    assert visit.token_hash and link_token(sms_outbox) not in visit.token_hash


def test_satisfied_rating_is_taken_once(closed_opinion, sms_outbox):
    token = link_token(sms_outbox)

    visit = services.return_visit_rate(token=token, rating=Rating.SATISFIED)

    assert visit.rating == Rating.SATISFIED and visit.rated_at and visit.round == 1
    assert visit.token_hash is None
    with pytest.raises(services.RatingLinkInvalid):
        services.return_visit_rate(token=token, rating=Rating.UNSATISFIED, reason="改主意了")
    closed_opinion.refresh_from_db()
    assert closed_opinion.state == State.CLOSED


def test_unsatisfied_needs_a_reason_and_reopens_with_it(closed_opinion, sms_outbox):
    token = link_token(sms_outbox)
    with pytest.raises(ValidationError):
        services.return_visit_rate(token=token, rating=Rating.UNSATISFIED)

    services.return_visit_rate(token=token, rating=Rating.UNSATISFIED, reason="路灯修了两天又坏了")

    closed_opinion.refresh_from_db()
    assert closed_opinion.state == State.REOPENED
    reopened = Event.objects.for_object(closed_opinion).get(verb="reopened")
    assert reopened.note == "路灯修了两天又坏了" and reopened.actor is None


def test_a_rating_never_lands_on_a_closure_reopened_since_the_link_went_out(
    closed_opinion, sms_outbox, staff_clerk, township_officer_a, django_capture_on_commit_callbacks
):
    token = link_token(sms_outbox)
    services.opinion_reopen(actor=staff_clerk, opinion=closed_opinion, reason="群众来电")

    with pytest.raises(StaleState):
        services.return_visit_rate(token=token, rating=Rating.SATISFIED)

    # Answered and closed again: the old link still does not rate the new closure…
    services.opinion_answer(actor=township_officer_a, opinion=closed_opinion, text="已更换灯具")
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_close(actor=township_officer_a, opinion=closed_opinion)
    with pytest.raises(StaleState):
        services.return_visit_rate(token=token, rating=Rating.SATISFIED)
    # …the new one does, once.
    services.return_visit_rate(token=link_token(sms_outbox), rating=Rating.BASICALLY_SATISFIED)
    ratings = dict(ReturnVisit.objects.filter(opinion=closed_opinion).values_list("round", "rating"))
    assert ratings == {1: "", 2: Rating.BASICALLY_SATISFIED}


def test_keeper_records_a_phone_rating_for_a_citizen_without_a_phone(station_a, township_officer_a, station_keeper):
    opinion = OpinionFactory(station=station_a)
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已答复")
    services.opinion_close(actor=township_officer_a, opinion=opinion)

    visit = services.return_visit_record_call(actor=station_keeper, opinion=opinion, rating=Rating.SATISFIED)

    assert visit.channel == ReturnVisit.Channel.PHONE_CALL and visit.recorded_by == station_keeper
    with pytest.raises(services.RatingLinkInvalid):
        services.return_visit_record_call(actor=station_keeper, opinion=opinion, rating=Rating.UNSATISFIED, reason="x")


def test_the_unit_that_answered_cannot_record_its_own_rating(
    station_a, staff_clerk, unit_officer, health_bureau
):
    opinion = OpinionFactory(station=station_a)
    services.opinion_pass_to_unit(actor=staff_clerk, opinion=opinion, unit=health_bureau)
    services.opinion_answer(actor=unit_officer, opinion=opinion, text="已处理")
    services.opinion_close(actor=unit_officer, opinion=opinion)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.return_visit_record_call(actor=unit_officer, opinion=opinion, rating=Rating.SATISFIED)


def test_unsatisfied_rating_reopening_cannot_be_done_by_others(closed_opinion, township_officer_b):
    with pytest.raises(TransitionForbidden):
        services.opinion_reopen(actor=township_officer_b, opinion=closed_opinion, reason="x")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL")
def test_concurrent_rating_and_reopen_never_both_win(station_a, township_officer_a, staff_clerk, settings):
    from congress.notifications import sms

    settings.SMS_BACKEND = "congress.notifications.sms.MemorySmsBackend"
    sms.outbox.clear()
    opinion = OpinionFactory(station=station_a, citizen_phone=CITIZEN_PHONE)
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已答复")
    services.opinion_close(actor=township_officer_a, opinion=opinion)  # commits; the link task runs eagerly
    token = link_token(sms.outbox)
    outcomes = {}
    barrier = threading.Barrier(2)

    def rate():
        barrier.wait()
        try:
            services.return_visit_rate(token=token, rating=Rating.SATISFIED)
            outcomes["rate"] = "ok"
        except StaleState:
            outcomes["rate"] = "stale"
        finally:
            connection.close()

    def reopen():
        barrier.wait()
        try:
            services.opinion_reopen(
                actor=staff_clerk, opinion=Opinion.objects.get(pk=opinion.pk), reason="来电", expected=State.CLOSED
            )
            outcomes["reopen"] = "ok"
        finally:
            connection.close()

    threads = [threading.Thread(target=rate), threading.Thread(target=reopen)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    opinion.refresh_from_db()
    visit = ReturnVisit.objects.get(opinion=opinion, round=1)
    assert opinion.state == State.REOPENED and outcomes["reopen"] == "ok"
    # Either the rating came first (and applies to the closure it saw) or it was refused.
    if outcomes["rate"] == "ok":
        rated = Event.objects.for_object(opinion).get(verb="rated")
        assert rated.pk < Event.objects.for_object(opinion).get(verb="reopened").pk
        assert visit.rating == Rating.SATISFIED
    else:
        assert visit.rating == ""
    sms.outbox.clear()
