"""The session's phone page, the one the projected QR code opens: login first; a deputy sees only
the items they rate, a member only the items members rate; anyone else and anyone else's item is
a 404; ratings there are via=session, once, and refused when rating is not open."""

import pytest
from django.urls import reverse

from suggestions.models import Assignment, Rating
from suggestions.services import sessions
from tests.suggestions.session_fixtures import on_agenda

pytestmark = pytest.mark.django_db

SAT, BASIC, UNSAT = "satisfied", "basically_satisfied", "unsatisfied"


def _page(session):
    return reverse("portal:suggestions:session", args=[session.pk])


def _rate(session, item):
    return reverse("portal:suggestions:session_rate", args=[session.pk, item.pk])


def _member_rate(session, item):
    return reverse("portal:suggestions:session_member_rate", args=[session.pk, item.pk])


@pytest.fixture
def agenda(flow, f2f, staff_admin, replied, key_replied, other_deputy_user, district_body):
    """Three items: the deputy's suggestion, their key suggestion, and another deputy's suggestion."""
    from deputies.models import Deputy

    others = flow.__class__(
        deputy_user=other_deputy_user, deputy=Deputy.objects.get(user=other_deputy_user), co_deputy=flow.co_deputy,
        staff=flow.staff, unit_officer=flow.unit_officer, unit=flow.unit, reply_classes=flow.reply_classes,
        session=flow.session,
    )
    theirs = others.replied(title="关于整治河道垃圾的建议")
    return on_agenda(f2f, replied, key_replied, theirs, actor=staff_admin), theirs


def test_the_qr_url_asks_for_a_login_first(client, f2f):
    response = client.get(_page(f2f))
    assert response.status_code == 302 and "/login" in response.url and "next=" in response.url


def test_a_deputy_sees_only_their_own_items(client, login, f2f, agenda, deputy_user, replied, key_replied):
    items, theirs = agenda
    login(client, deputy_user)
    response = client.get(_page(f2f))

    shown = [item.assignment_id for item in response.context["deputy_items"]]
    assert shown == [replied.pk, key_replied.pk]
    assert response.context["member_items"] == []
    assert "关于整治河道垃圾的建议" not in response.content.decode()


def test_a_member_sees_only_the_items_members_rate(client, login, f2f, agenda, member, key_replied):
    login(client, member)
    response = client.get(_page(f2f))
    assert [item.assignment_id for item in response.context["member_items"]] == [key_replied.pk]
    assert response.context["deputy_items"] == []


@pytest.mark.parametrize("persona", ["co_deputy_user", "unit_officer", "leader", "staff_admin"])
def test_someone_with_nothing_to_rate_there_gets_a_404(client, login, request, persona, f2f, agenda):
    login(client, request.getfixturevalue(persona))
    assert client.get(_page(f2f)).status_code == 404


def test_the_deputy_rates_from_the_phone_page_once(client, login, f2f, agenda, staff_admin, deputy_user, replied):
    items, _theirs = agenda
    sessions.session_open(actor=staff_admin, session=f2f)
    login(client, deputy_user)
    item = items[replied.pk]
    page = client.get(_page(f2f)).content.decode()
    assert _rate(f2f, item) in page

    response = client.post(_rate(f2f, item), {"attitude": SAT, "result": BASIC})

    assert response.status_code == 302 and response.url == _page(f2f)
    rating = Rating.objects.get()
    assert (rating.via, rating.rater, rating.result) == ("session", deputy_user, BASIC)
    assert Assignment.objects.get(pk=replied.pk).state == Assignment.State.EVALUATED
    client.post(_rate(f2f, item), {"attitude": UNSAT, "result": UNSAT, "reason": "再评一次"})
    assert Rating.objects.count() == 1
    assert _rate(f2f, item) not in client.get(_page(f2f)).content.decode()


def test_unsatisfied_without_a_reason_is_refused_on_the_form(client, login, f2f, agenda, staff_admin, deputy_user,
                                                             replied):
    items, _theirs = agenda
    sessions.session_open(actor=staff_admin, session=f2f)
    login(client, deputy_user)
    response = client.post(_rate(f2f, items[replied.pk]), {"attitude": SAT, "result": UNSAT})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert not Rating.objects.exists()


def test_a_deputy_cannot_rate_another_deputys_item_through_the_session_url(client, login, f2f, agenda, staff_admin,
                                                                           deputy_user):
    items, theirs = agenda
    sessions.session_open(actor=staff_admin, session=f2f)
    login(client, deputy_user)
    assert client.get(_rate(f2f, items[theirs.pk])).status_code == 404
    assert client.post(_rate(f2f, items[theirs.pk]), {"attitude": SAT, "result": SAT}).status_code == 404
    assert client.post(_member_rate(f2f, items[theirs.pk]), {"attitude": SAT, "result": SAT}).status_code == 404
    assert not Rating.objects.exists()


def test_rating_is_refused_once_the_session_is_closed(client, login, f2f, agenda, staff_admin, deputy_user, replied):
    items, _theirs = agenda
    sessions.session_open(actor=staff_admin, session=f2f)
    sessions.session_close(actor=staff_admin, session=f2f)
    login(client, deputy_user)

    response = client.post(_rate(f2f, items[replied.pk]), {"attitude": SAT, "result": SAT})

    assert response.status_code == 302 and response.url == _page(f2f)
    assert not Rating.objects.exists()
    assert _rate(f2f, items[replied.pk]) not in client.get(_page(f2f)).content.decode()


def test_an_invited_member_rates_a_key_suggestion_but_not_a_plain_one(client, login, f2f, agenda, staff_admin, member,
                                                                     replied, key_replied):
    items, _theirs = agenda
    sessions.session_open(actor=staff_admin, session=f2f)
    login(client, member)

    assert client.post(_member_rate(f2f, items[replied.pk]), {"attitude": SAT, "result": SAT}).status_code == 404
    client.post(_member_rate(f2f, items[key_replied.pk]), {"attitude": SAT, "result": UNSAT, "reason": "进度偏慢"})

    rating = Rating.objects.get()
    assert (rating.rater_group, rating.via, rating.rater) == ("member", "session", member)
    assert Assignment.objects.get(pk=key_replied.pk).state == Assignment.State.REPLIED


@pytest.mark.parametrize("extra", [0, 5])
def test_the_phone_page_costs_the_same_queries_whatever_the_agenda(client, login, flow, f2f, agenda, member,
                                                                   deputy_user, staff_admin, extra,
                                                                   django_assert_max_num_queries):
    for number in range(extra):
        assignment = flow.replied(title=f"关于第{number}条道路改造的建议")
        sessions.agenda_add(actor=staff_admin, session=f2f, proposal=assignment.proposal)
    for user, queries in ((member, 14), (deputy_user, 12)):
        login(client, user)
        with django_assert_max_num_queries(queries):
            assert client.get(_page(f2f)).status_code == 200
