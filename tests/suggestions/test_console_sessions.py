"""The office's session pages: plan a session, build the agenda (also from the deputies' meeting
requests), open and close rating, the projector screen with its QR code, the results with the
deputy's and the members' ratings apart; the units' read-only view; bounded queries."""

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.models import AgendaItem, FaceToFaceSession
from suggestions.services import sessions
from tests.suggestions.session_fixtures import on_agenda

pytestmark = pytest.mark.django_db

SAT, BASIC, UNSAT = "satisfied", "basically_satisfied", "unsatisfied"
LIST = reverse("console:suggestions:session_list")


def _url(name, session):
    return reverse(f"console:suggestions:{name}", args=[session.pk])


def test_staff_plan_a_session_from_the_console(client, login, staff_admin, district_body, health_bureau, member,
                                               deputy):
    login(client, staff_admin)
    response = client.post(reverse("console:suggestions:session_create"), {
        "body": district_body.pk, "title": "面对面督办测评会", "starts_at": "2026-06-18T09:00",
        "place": "第一会议室", "units": [health_bureau.pk], "deputies": [deputy.pk], "members": [member.pk],
    })

    session = FaceToFaceSession.objects.get()
    assert response.status_code == 302 and response.url == _url("session_detail", session)
    assert (session.title, session.place, session.state) == ("面对面督办测评会", "第一会议室", "planned")
    assert list(session.members.all()) == [member]


def test_a_session_without_a_title_is_refused_with_a_message(client, login, staff_admin, district_body):
    login(client, staff_admin)
    response = client.post(reverse("console:suggestions:session_create"), {
        "body": district_body.pk, "title": "", "starts_at": "2026-06-18T09:00", "place": "第一会议室",
    })
    assert response.status_code == 200
    assert not FaceToFaceSession.objects.exists()


@pytest.mark.parametrize("persona", ["unit_officer", "deputy_user", "member", "auditor"])
def test_only_staff_reach_the_session_pages(client, login, request, persona, f2f):
    login(client, request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(_url("session_screen", f2f)).status_code == 403
    assert client.post(_url("session_open", f2f)).status_code == 403
    assert FaceToFaceSession.objects.get().state == "planned"


def test_agenda_from_a_number_then_open_and_close(client, login, staff_admin, f2f, replied):
    login(client, staff_admin)
    response = client.post(_url("session_agenda_add", f2f), {"number": replied.proposal.number})
    assert response.status_code == 302
    assert AgendaItem.objects.get().assignment == replied

    assert client.get(_url("session_open", f2f)).status_code == 405  # GET never changes state
    client.post(_url("session_open", f2f))
    assert FaceToFaceSession.objects.get().state == "open"
    client.post(_url("session_close", f2f))
    assert FaceToFaceSession.objects.get().state == "closed"


def test_an_unknown_number_is_named_on_the_form(client, login, staff_admin, f2f):
    login(client, staff_admin)
    response = client.post(_url("session_agenda_add", f2f), {"number": "18-1-J-999"})
    assert response.status_code == 400
    assert "18-1-J-999" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_a_deputys_meeting_request_is_listed_and_put_on_the_agenda(client, login, staff_admin, f2f, replied,
                                                                    deputy_user):
    services.meeting_request(actor=deputy_user, proposal=replied.proposal, note="希望与卫健局当面沟通")
    login(client, staff_admin)

    page = client.get(_url("session_detail", f2f)).content.decode()
    assert "希望与卫健局当面沟通" in page
    assert "希望与卫健局当面沟通" in client.get(LIST).content.decode()
    client.post(_url("session_agenda_add", f2f), {"number": replied.proposal.number})
    assert "希望与卫健局当面沟通" not in client.get(_url("session_detail", f2f)).content.decode()


def test_the_screen_shows_the_agenda_and_an_inline_qr_code_of_the_phone_page(client, login, staff_admin, f2f,
                                                                           replied):
    on_agenda(f2f, replied, actor=staff_admin)
    login(client, staff_admin)
    html = client.get(_url("session_screen", f2f)).content.decode()

    assert replied.proposal.title in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<path d=\"M" in html
    assert f"/portal/suggestions/sessions/{f2f.pk}/" in html
    assert "style=" not in html.split('id="session-qr"')[1].split("</svg>")[0]  # CSP: no inline styles


def test_results_count_the_deputy_and_the_members_apart(client, login, staff_admin, f2f, replied, key_replied,
                                                        deputy_user, member):
    items = on_agenda(f2f, replied, key_replied, actor=staff_admin)
    sessions.session_open(actor=staff_admin, session=f2f)
    sessions.session_rating_submit(actor=deputy_user, item=items[replied.pk], attitude=SAT, result=SAT)
    sessions.session_member_rating_submit(actor=member, item=items[key_replied.pk], attitude=BASIC, result=UNSAT,
                                          reason="进度偏慢")
    services.rating_submit(actor=deputy_user, assignment=key_replied, attitude=SAT, result=BASIC)

    login(client, staff_admin)
    response = client.get(_url("session_results", f2f))
    figures = response.context["results"]
    assert (figures.deputies_at_session.count, figures.deputies_elsewhere.count, figures.members.count) == (1, 1, 1)
    assert figures.members.result[UNSAT] == 1 and figures.deputies_at_session.result[SAT] == 1
    rows = {row.item.assignment_id: row for row in figures.items}
    assert rows[replied.pk].members.count == 0 and rows[key_replied.pk].deputy.via == "portal"
    assert "进度偏慢" in response.content.decode()


def test_the_unit_reads_the_sessions_it_attends_and_no_other(client, login, unit_officer, education_officer, f2f,
                                                            staff_admin, replied):
    on_agenda(f2f, replied, actor=staff_admin)
    login(client, unit_officer)
    assert f2f.title in client.get(reverse("console:suggestions:unit_session_list")).content.decode()
    page = client.get(reverse("console:suggestions:unit_session_detail", args=[f2f.pk])).content.decode()
    assert replied.proposal.title in page and "/open/" not in page
    assert client.get(_url("session_detail", f2f)).status_code == 403

    login(client, education_officer)
    assert f2f.title not in client.get(reverse("console:suggestions:unit_session_list")).content.decode()
    assert client.get(reverse("console:suggestions:unit_session_detail", args=[f2f.pk])).status_code == 404


@pytest.mark.parametrize("count", [2, 8])
def test_screen_and_results_cost_the_same_queries_for_2_or_8_items(client, login, flow, staff_admin, f2f,
                                                                   deputy_user, count, django_assert_max_num_queries):
    for number in range(count):
        assignment = flow.replied(title=f"关于第{number}条道路改造的建议")
        sessions.agenda_add(actor=staff_admin, session=f2f, proposal=assignment.proposal)
    sessions.session_open(actor=staff_admin, session=f2f)
    for item in f2f.agenda.all()[:2]:
        sessions.session_rating_submit(actor=deputy_user, item=item, attitude=SAT, result=SAT)
    login(client, staff_admin)

    for name, queries in (("session_screen", 14), ("session_results", 15), ("session_detail", 16)):
        with django_assert_max_num_queries(queries):
            assert client.get(_url(name, f2f)).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(LIST).status_code == 200


def test_the_sidebar_lists_the_sessions_for_staff(client, login, staff_admin):
    login(client, staff_admin)
    assert LIST in client.get(reverse("console:suggestions:intake")).content.decode()
