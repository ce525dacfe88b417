"""Face-to-face sessions (面对面督办测评) and the members' second rating (双测评), through the services:
who may plan and run a session, the agenda, planned → open → closed, and ratings at the session
that keep every guarantee of the deputy's own rating."""

import pytest
from django.core.exceptions import ValidationError

from congress.models import Event, Notification
from congress.workflow import IllegalTransition, StaleState, TransitionForbidden
from suggestions import services, statistics
from suggestions.models import AgendaItem, Assignment, FaceToFaceSession, ImmutableRatingError, Rating
from suggestions.services import sessions
from tests.suggestions.session_fixtures import on_agenda

pytestmark = pytest.mark.django_db

SAT, BASIC, UNSAT = "satisfied", "basically_satisfied", "unsatisfied"
State = FaceToFaceSession.State


def _open(session, *assignments, actor):
    items = on_agenda(session, *assignments, actor=actor)
    sessions.session_open(actor=actor, session=session)
    return items


def test_staff_plan_a_session_with_its_units_and_invitations(f2f, staff_admin, health_bureau, deputy, member):
    assert f2f.state == State.PLANNED
    assert list(f2f.units.all()) == [health_bureau]
    assert list(f2f.deputies.all()) == [deputy] and list(f2f.members.all()) == [member]
    assert Event.objects.for_object(f2f).get().verb == "session_created"


@pytest.mark.parametrize("persona", ["member", "leader", "unit_officer", "deputy_user", "auditor"])
def test_only_the_office_staff_plan_and_run_sessions(request, persona, f2f, district_body, replied, staff_admin):
    actor = request.getfixturevalue(persona)
    with pytest.raises(TransitionForbidden):
        sessions.session_create(actor=actor, body=district_body, title="测评会", starts_at=f2f.starts_at,
                                place="会议室")
    with pytest.raises(TransitionForbidden):
        sessions.agenda_add(actor=actor, session=f2f, proposal=replied.proposal)
    on_agenda(f2f, replied, actor=staff_admin)
    with pytest.raises(TransitionForbidden):
        sessions.session_open(actor=actor, session=f2f)
    assert FaceToFaceSession.objects.get().state == State.PLANNED


def test_a_clerk_runs_a_session_through_planned_open_closed_and_it_never_reopens(f2f, staff_clerk, replied):
    on_agenda(f2f, replied, actor=staff_clerk)
    sessions.session_open(actor=staff_clerk, session=f2f)
    sessions.session_close(actor=staff_clerk, session=f2f)

    assert FaceToFaceSession.objects.get().state == State.CLOSED
    verbs = list(Event.objects.for_object(f2f).values_list("verb", flat=True))
    assert verbs == ["session_created", "agenda_item_added", "session_opened", "session_closed"]
    with pytest.raises((IllegalTransition, StaleState)):
        sessions.session_open(actor=staff_clerk, session=f2f)
    with pytest.raises(IllegalTransition):
        sessions.agenda_add(actor=staff_clerk, session=f2f, proposal=replied.proposal)


def test_rating_cannot_open_on_an_empty_agenda(f2f, staff_admin):
    with pytest.raises(ValidationError):
        sessions.session_open(actor=staff_admin, session=f2f)
    assert FaceToFaceSession.objects.get().state == State.PLANNED


def test_opening_tells_the_attending_units(f2f, staff_admin, replied, unit_officer):
    _open(f2f, replied, actor=staff_admin)
    assert Notification.objects.filter(recipient=unit_officer, kind="suggestions.session").count() == 1


def test_a_proposal_goes_on_the_agenda_once_with_one_item_per_answering_unit(
    flow, f2f, staff_admin, education_bureau
):
    assignment = flow.assigned(co_units=[education_bureau])
    created = sessions.agenda_add(actor=staff_admin, session=f2f, proposal=assignment.proposal)
    again = sessions.agenda_add(actor=staff_admin, session=f2f, proposal=assignment.proposal)

    assert [item.assignment for item in created] == [assignment]  # the co-handler answers the lead unit
    assert again == []
    assert Event.objects.for_object(assignment.proposal).filter(verb="placed_on_session_agenda").count() == 1


def test_a_proposal_not_yet_assigned_stays_off_the_agenda(flow, f2f, staff_admin):
    accepted = flow.accepted()
    with pytest.raises(ValidationError):
        sessions.agenda_add(actor=staff_admin, session=f2f, proposal=accepted)
    assert not AgendaItem.objects.exists()


def test_items_are_reordered_while_open_and_removed_only_while_planned(flow, f2f, staff_admin, replied, key_replied):
    items = on_agenda(f2f, replied, key_replied, actor=staff_admin)
    sessions.agenda_move(actor=staff_admin, item=items[key_replied.pk], up=True)
    assert list(f2f.agenda.values_list("assignment_id", flat=True)) == [key_replied.pk, replied.pk]
    sessions.agenda_move(actor=staff_admin, item=items[key_replied.pk], up=True)  # already first
    assert list(f2f.agenda.values_list("assignment_id", flat=True)) == [key_replied.pk, replied.pk]

    sessions.session_open(actor=staff_admin, session=f2f)
    with pytest.raises(IllegalTransition):
        sessions.agenda_remove(actor=staff_admin, item=items[replied.pk])
    assert f2f.agenda.count() == 2


# ---- the deputy's rating at the session -----------------------------------------------------


def test_the_deputy_rates_at_the_session_through_the_evaluation_service(f2f, staff_admin, replied, deputy_user):
    items = _open(f2f, replied, actor=staff_admin)

    rating = sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=SAT, result=BASIC)

    assert (rating.via, rating.rater_group, rating.rater, rating.round) == ("session", "deputy", deputy_user, 1)
    assignment = Assignment.objects.get(pk=replied.pk)
    assert (assignment.state, assignment.rating_status) == (Assignment.State.EVALUATED, "rated")
    event = Event.objects.for_object(assignment).get(verb="rated")
    assert event.data["via"] == "session"
    with pytest.raises(ImmutableRatingError):
        rating.save()


def test_a_second_rating_of_the_item_is_refused_so_it_counts_once(
    f2f, staff_admin, replied, deputy_user, district_body
):
    items = _open(f2f, replied, actor=staff_admin)
    sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=SAT, result=SAT)

    with pytest.raises(services.AlreadyRated):
        sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=UNSAT, result=UNSAT,
                                       reason="改主意")
    with pytest.raises(services.AlreadyRated):
        services.rating_submit(actor=deputy_user, assignment=replied, attitude=UNSAT, result=UNSAT, reason="再评")
    assert Rating.objects.count() == 1
    figures = statistics.compute(staff_admin, body=district_body, year=replied.proposal.received_on.year).total
    assert (figures.first.count, figures.first_paper.count) == (1, 0)


@pytest.mark.parametrize("close", [False, True])
def test_no_rating_at_a_session_that_is_not_open(f2f, staff_admin, replied, deputy_user, close):
    items = on_agenda(f2f, replied, actor=staff_admin)
    if close:
        sessions.session_open(actor=staff_admin, session=f2f)
        sessions.session_close(actor=staff_admin, session=f2f)

    with pytest.raises(sessions.SessionNotOpen):
        sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=SAT, result=SAT)
    assert not Rating.objects.exists()
    assert Assignment.objects.get(pk=replied.pk).state == Assignment.State.REPLIED


@pytest.mark.parametrize("persona", ["co_deputy_user", "other_deputy_user", "member", "staff_admin"])
def test_nobody_but_the_lead_deputy_rates_their_item(request, persona, f2f, staff_admin, replied):
    items = _open(f2f, replied, actor=staff_admin)
    with pytest.raises(TransitionForbidden):
        sessions.session_rating_submit(actor=request.getfixturevalue(persona), item=items[replied.pk],
                                       attitude=SAT, result=SAT)
    assert not Rating.objects.exists()


def test_unsatisfied_at_the_session_needs_a_reason_and_awaits_re_handling(f2f, staff_admin, replied, deputy_user):
    items = _open(f2f, replied, actor=staff_admin)
    with pytest.raises(ValidationError):
        sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=SAT, result=UNSAT)
    assert not Rating.objects.exists()

    sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=SAT, result=UNSAT,
                                   reason="信号灯仍未安装")
    assignment = Assignment.objects.get(pk=replied.pk)
    assert assignment.rehandling_order_due is not None
    services.rehandling_order(actor=staff_admin, assignment=assignment)
    assert Assignment.objects.get(pk=replied.pk).round == 2


# ---- members' ratings (双测评) -----------------------------------------------------------------


def test_an_invited_member_rates_a_key_suggestion_apart_from_the_deputy(
    f2f, staff_admin, key_replied, member, deputy_user, district_body
):
    items = _open(f2f, key_replied, actor=staff_admin)
    item = items[key_replied.pk]

    rating = sessions.session_member_rating_submit(actor=member, item=item, attitude=SAT, result=UNSAT,
                                                   reason="进度偏慢")

    assert (rating.rater_group, rating.via, rating.deputy) == ("member", "session", None)
    assert Assignment.objects.get(pk=key_replied.pk).state == Assignment.State.REPLIED  # the deputy still rates
    figures = statistics.compute(staff_admin, body=district_body, year=key_replied.proposal.received_on.year).total
    assert figures.first.count == 0  # a member's rating never counts as the deputy's
    sessions.session_rating_submit(actor=deputy_user, item=item, attitude=SAT, result=SAT)
    with pytest.raises(services.AlreadyRated):
        sessions.session_member_rating_submit(actor=member, item=item, attitude=SAT, result=SAT)


def test_an_uninvited_member_or_a_plain_suggestion_gets_no_member_rating(
    f2f, staff_admin, replied, key_replied, leader
):
    items = _open(f2f, replied, key_replied, actor=staff_admin)
    with pytest.raises(TransitionForbidden):
        sessions.session_member_rating_submit(actor=leader, item=items[key_replied.pk], attitude=SAT, result=SAT)
    sessions.session_update(actor=staff_admin, session=f2f, title=f2f.title, starts_at=f2f.starts_at,
                            place=f2f.place, members=[leader])
    with pytest.raises(IllegalTransition):
        sessions.session_member_rating_submit(actor=leader, item=items[replied.pk], attitude=SAT, result=SAT)
    assert not Rating.objects.exists()


def test_only_members_of_the_congress_can_be_invited(f2f, staff_admin, unit_officer):
    with pytest.raises(ValidationError):
        sessions.session_update(actor=staff_admin, session=f2f, title=f2f.title, starts_at=f2f.starts_at,
                                place=f2f.place, members=[unit_officer])
    assert not f2f.members.filter(pk=unit_officer.pk).exists()


def test_details_change_until_the_session_closes(f2f, staff_admin, replied, leader):
    sessions.session_update(actor=staff_admin, session=f2f, title="第二次测评会", starts_at=f2f.starts_at,
                            place="第二会议室", members=[leader])
    session = FaceToFaceSession.objects.get()
    assert (session.title, session.place, list(session.members.all())) == ("第二次测评会", "第二会议室", [leader])
    assert Event.objects.for_object(f2f).filter(verb="session_updated").count() == 1

    _open(f2f, replied, actor=staff_admin)
    sessions.session_close(actor=staff_admin, session=f2f)
    with pytest.raises(IllegalTransition):
        sessions.session_update(actor=staff_admin, session=f2f, title="改名", starts_at=f2f.starts_at, place="别处")
    assert FaceToFaceSession.objects.get().title == "第二次测评会"
