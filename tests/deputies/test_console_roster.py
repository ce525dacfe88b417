"""The roster in the console: filters, scope, masking, a bounded number of queries, the deputy's
detail with duty record and score, unmasking with a logged reason, create, edit and end a mandate."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.models import Event, RoleGrant
from congress.models.accounts import Role
from deputies.models import ActivityKind, Deputy, DutyActivity, Sector
from tests.factories.congress import UserFactory
from tests.factories.deputies import DeputyFactory, id_number, participate

ROSTER = reverse("console:deputies:roster")


def _detail(deputy):
    return reverse("console:deputies:deputy_detail", args=[deputy.pk])


@pytest.fixture
def roster(district_deputy_a, district_deputy_b, township_deputy_a, township_deputy_b):
    return [district_deputy_a, district_deputy_b, township_deputy_a, township_deputy_b]


def _names(response):
    return {deputy.name for deputy in response.context["page_obj"]}


# ---- the list ---------------------------------------------------------------------------------


def test_staff_see_the_whole_roster_with_phones_masked(client, login, staff_clerk, roster):
    login(client, staff_clerk)

    response = client.get(ROSTER)

    assert response.status_code == 200
    assert _names(response) == {deputy.name for deputy in roster}
    content = response.content.decode()
    for deputy in roster:
        assert deputy.phone not in content and deputy.id_number not in content
        assert deputy.masked_phone in content


def test_township_officer_sees_only_their_towns_deputies(client, login, township_officer_a, roster):
    login(client, township_officer_a)

    response = client.get(ROSTER)

    assert _names(response) == {"陈区代表", "王镇代表"}
    # Asking for the other town's congress by id shows nothing; the district congress, its own.
    assert _names(client.get(ROSTER, {"body": roster[3].body_id})) == set()
    assert _names(client.get(ROSTER, {"body": roster[0].body_id})) == {"陈区代表"}


def test_unit_officers_and_deputies_have_no_roster_page(client, login, unit_officer, deputy_user, roster):
    for user in (unit_officer, deputy_user):
        login(client, user)
        assert client.get(ROSTER).status_code == 403


def test_filters_narrow_the_list(client, login, staff_clerk, district_body, town_a, roster):
    leader = DeputyFactory(body=district_body, name="常委代表", is_standing_committee_member=True, sector=Sector.CADRES)
    resigned = DeputyFactory(body=district_body, name="已辞代表", status=Deputy.Status.RESIGNED)
    login(client, staff_clerk)

    assert _names(client.get(ROSTER, {"standing_committee": "on"})) == {leader.name}
    assert _names(client.get(ROSTER, {"town": town_a.pk})) == {"陈区代表", "王镇代表"}
    assert _names(client.get(ROSTER, {"status": "resigned"})) == {resigned.name}
    assert resigned.name not in _names(client.get(ROSTER))
    assert resigned.name in _names(client.get(ROSTER, {"status": "all"}))
    assert _names(client.get(ROSTER, {"sector": Sector.CADRES, "body": district_body.pk})) >= {leader.name}
    assert _names(client.get(ROSTER, {"q": "常委"})) == {leader.name}


def _roster_queries(client, size):
    with CaptureQueriesContext(connection) as context:
        response = client.get(ROSTER, {"per_page": 500})
    assert len(response.context["page_obj"]) == size
    return len(context.captured_queries)


def test_roster_query_count_does_not_grow_with_the_number_of_deputies(
    client, login, staff_clerk, district_body, town_a, django_assert_max_num_queries
):
    from tests.factories.deputies import ConstituencyFactory

    constituency = ConstituencyFactory(body=district_body, region=town_a)
    login(client, staff_clerk)
    DeputyFactory.create_batch(5, body=district_body, constituency=constituency)
    with django_assert_max_num_queries(15):
        five = _roster_queries(client, 5)
    DeputyFactory.create_batch(45, body=district_body, constituency=constituency)
    with django_assert_max_num_queries(15):
        fifty = _roster_queries(client, 50)

    assert five == fifty


# ---- the detail ------------------------------------------------------------------------------


def test_detail_shows_duty_record_score_and_history_with_secrets_masked(client, login, staff_clerk, district_deputy_a):
    participate(district_deputy_a, kind=ActivityKind.INSPECTION, times=5, title="视察学校")
    pending = participate(district_deputy_a, kind=ActivityKind.VOTER_VISIT, state=DutyActivity.State.PENDING)[0]
    login(client, staff_clerk)

    response = client.get(_detail(district_deputy_a), {"year": 2026})

    assert response.status_code == 200
    score = response.context["score"]
    assert score.score == 20  # five inspections at 5 points, capped at 20; the pending visit does not count
    assert [(item.kind, item.activities, item.points, item.capped) for item in score.by_kind] == [
        (ActivityKind.INSPECTION, 5, 20, True)
    ]
    content = response.content.decode()
    assert "视察学校" in content and pending.title in content
    assert district_deputy_a.id_number not in content and district_deputy_a.phone not in content
    assert district_deputy_a.masked_id_number in content
    assert not response.context["can_unmask"]


def test_another_towns_deputy_is_a_404(client, login, township_officer_a, township_deputy_b):
    login(client, township_officer_a)

    assert client.get(_detail(township_deputy_b)).status_code == 404


@pytest.mark.parametrize("activities", [2, 40])
def test_detail_query_count_does_not_grow_with_activities(
    activities, client, login, staff_clerk, district_deputy_a, django_assert_max_num_queries
):
    participate(district_deputy_a, kind=ActivityKind.INSPECTION, times=activities // 2)
    participate(district_deputy_a, kind=ActivityKind.RESEARCH, times=activities // 2)
    login(client, staff_clerk)

    with django_assert_max_num_queries(20):
        response = client.get(_detail(district_deputy_a), {"year": 2026})

    assert len(response.context["participations"]) == activities


# ---- unmasking -------------------------------------------------------------------------------


def test_staff_admin_unmasks_a_phone_with_a_reason_and_it_is_logged(
    client, login, staff_admin, district_deputy_a, security_lines
):
    login(client, staff_admin)
    url = reverse("console:deputies:deputy_unmask", args=[district_deputy_a.pk])

    response = client.post(url, {"field": "phone", "reason": "通知开会"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert district_deputy_a.phone in response.content.decode()
    (line,) = security_lines("unmask")
    assert (line["username"], line["field"], line["reason"]) == ("staff_admin", "phone", "通知开会")
    event = Event.objects.for_object(district_deputy_a).get(verb="unmasked")
    assert (event.actor, event.note, event.data) == (staff_admin, "通知开会", {"field": "phone"})


def test_unmask_needs_a_reason(client, login, staff_admin, district_deputy_a, security_lines):
    login(client, staff_admin)
    url = reverse("console:deputies:deputy_unmask", args=[district_deputy_a.pk])

    response = client.post(url, {"field": "id_number", "reason": " "}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert district_deputy_a.id_number not in response.content.decode()
    assert not security_lines("unmask")
    assert not Event.objects.for_object(district_deputy_a).filter(verb="unmasked").exists()


def test_a_clerk_may_not_unmask(client, login, staff_clerk, district_deputy_a, security_lines):
    login(client, staff_clerk)
    url = reverse("console:deputies:deputy_unmask", args=[district_deputy_a.pk])

    response = client.post(url, {"field": "phone", "reason": "好奇"})

    assert response.status_code == 403
    assert district_deputy_a.phone not in response.content.decode()
    assert not security_lines("unmask")
    assert not Event.objects.for_object(district_deputy_a).filter(verb="unmasked").exists()


# ---- create, edit, end -----------------------------------------------------------------------


def test_staff_create_a_deputy_and_the_edit_form_never_shows_the_full_id(client, login, staff_clerk, district_body):
    login(client, staff_clerk)
    term = district_body.terms.get(is_current=True)

    response = client.post(
        reverse("console:deputies:deputy_create"),
        {
            "body": district_body.pk, "term": term.pk, "name": "新代表", "gender": "female", "ethnicity": "汉族",
            "party": "cpc", "sector": "farmers", "id_number": id_number(700), "phone": "13800138000",
        },
    )

    deputy = Deputy.objects.get(name="新代表")
    assert response.status_code == 302 and response["Location"] == _detail(deputy)
    assert deputy.id_number == id_number(700)
    edit = client.get(reverse("console:deputies:deputy_edit", args=[deputy.pk])).content.decode()
    assert id_number(700) not in edit and "13800138000" not in edit
    assert deputy.masked_id_number in edit

    # Saving the edit form with the secret fields empty keeps them.
    response = client.post(
        reverse("console:deputies:deputy_edit", args=[deputy.pk]),
        {"name": "新代表", "gender": "female", "ethnicity": "汉族", "party": "cpc", "sector": "workers",
         "id_number": "", "phone": ""},
    )
    deputy.refresh_from_db()
    assert response.status_code == 302
    assert (deputy.sector, deputy.id_number, deputy.phone) == ("workers", id_number(700), "13800138000")


def test_a_bad_id_number_is_shown_on_the_form(client, login, staff_clerk, district_body):
    login(client, staff_clerk)
    term = district_body.terms.get(is_current=True)
    wrong = id_number(701)[:17] + ("0" if id_number(701)[17] != "0" else "1")

    response = client.post(
        reverse("console:deputies:deputy_create"),
        {"body": district_body.pk, "term": term.pk, "name": "错号", "gender": "male", "ethnicity": "汉族",
         "party": "cpc", "sector": "farmers", "id_number": wrong},
    )

    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors
    assert not Deputy.objects.filter(name="错号").exists()


def test_township_officer_cannot_edit_a_district_deputy(client, login, township_officer_a, district_deputy_a):
    login(client, township_officer_a)

    assert client.get(reverse("console:deputies:deputy_edit", args=[district_deputy_a.pk])).status_code == 403


def test_ending_a_mandate_deactivates_the_account(client, login, staff_clerk, district_body):
    account = UserFactory(username="leaving")
    RoleGrant.objects.create(user=account, role=Role.DEPUTY, body=district_body)
    deputy = DeputyFactory(body=district_body, user=account)
    login(client, staff_clerk)

    response = client.post(
        reverse("console:deputies:deputy_end_mandate", args=[deputy.pk]),
        {"status": "resigned", "on_date": "2026-04-01", "reason": "工作调动"},
    )

    assert response.status_code == 302
    deputy.refresh_from_db()
    account.refresh_from_db()
    assert (deputy.status, deputy.status_reason) == (Deputy.Status.RESIGNED, "工作调动")
    assert account.is_active is False
