"""The people and items of a face-to-face session, for the session tests (imported by them).

`f2f` is a planned session of the district congress attended by the 卫健局, with the `deputy`
persona and the `member` persona invited; `replied` is the `deputy` persona's suggestion with
the 卫健局's reply waiting for a rating; `key_replied` is another of theirs, designated a key
suggestion, so members rate it too.
"""

import datetime

import pytest
from django.utils import timezone

from congress.models.accounts import Role
from suggestions import services
from suggestions.services import sessions
from tests.factories.congress import user_with_role
from tests.factories.deputies import DeputyFactory


@pytest.fixture
def f2f(staff_admin, district_body, member, health_bureau, deputy):
    return sessions.session_create(
        actor=staff_admin, body=district_body, title="2026年第一次面对面督办测评会",
        starts_at=timezone.make_aware(datetime.datetime(2026, 6, 18, 9, 0)), place="区人大常委会第一会议室",
        units=[health_bureau], deputies=[deputy], members=[member],
    )


@pytest.fixture
def replied(flow):
    return flow.replied()


@pytest.fixture
def key_replied(flow, leader, committee):
    assignment = flow.replied(title="关于推进老旧小区加装电梯的建议")
    services.key_suggestion_designate(actor=leader, proposal=assignment.proposal, year=2026,
                                      supervising_leader=leader, committee=committee)
    return assignment


@pytest.fixture
def other_deputy_user(district_body, term):
    user = user_with_role(Role.DEPUTY, username="other_deputy", body=district_body)
    DeputyFactory(body=district_body, term=term, user=user, name="许代表")
    return user


def on_agenda(session, *assignments, actor):
    for assignment in assignments:
        sessions.agenda_add(actor=actor, session=session, proposal=assignment.proposal)
    return {item.assignment_id: item for item in session.agenda.all()}
