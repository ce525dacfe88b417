"""Activity entry with attendance, the verification queue, the score-rules editor, theme years and
the 双联系 board in the console."""

import datetime

from django.urls import reverse

from congress.models import Event
from deputies import selectors
from deputies.models import ActivityKind, ContactLog, ContactPair, DutyActivity, DutyParticipation, ThemeYear
from tests.factories.deputies import DeputyFactory, DutyActivityFactory, DutyParticipationFactory, participate

Attendance = DutyParticipation.Attendance


def test_staff_enter_a_session_with_attendance(client, login, staff_clerk, district_body, district_deputy_a,
                                               district_deputy_b):
    login(client, staff_clerk)
    url = f"{reverse('console:deputies:activity_create')}?body={district_body.pk}"

    response = client.post(url, {
        "kind": ActivityKind.SESSION, "title": "第二次会议", "date": "2026-01-10",
        "present": [district_deputy_a.pk], "absent": [district_deputy_b.pk],
    })

    activity = DutyActivity.objects.get(title="第二次会议")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:deputies:activity_detail", args=[activity.pk])
    assert dict(activity.participations.values_list("deputy__name", "attendance")) == {
        "陈区代表": Attendance.PRESENT, "黄区代表": Attendance.ABSENT,
    }
    assert (activity.source, activity.state) == (DutyActivity.Source.STAFF, DutyActivity.State.VERIFIED)


def test_a_deputy_under_two_attendances_is_refused(client, login, staff_clerk, district_body, district_deputy_a):
    login(client, staff_clerk)
    url = f"{reverse('console:deputies:activity_create')}?body={district_body.pk}"

    response = client.post(url, {
        "kind": ActivityKind.SESSION, "title": "重复", "date": "2026-01-10",
        "present": [district_deputy_a.pk], "leave_approved": [district_deputy_a.pk],
    })

    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not DutyActivity.objects.exists()


def test_attendance_is_corrected_on_the_activity_page(client, login, staff_clerk, district_deputy_a):
    (activity,) = participate(district_deputy_a, kind=ActivityKind.SESSION, attendance=Attendance.ABSENT)
    participation = activity.participations.get()
    login(client, staff_clerk)

    client.post(
        reverse("console:deputies:participation_attendance", args=[participation.pk]),
        {"attendance": Attendance.LEAVE_APPROVED, "note": "病假"},
    )

    participation.refresh_from_db()
    assert (participation.attendance, participation.note) == (Attendance.LEAVE_APPROVED, "病假")
    assert Event.objects.for_object(activity).filter(verb="attendance_changed").exists()


def _self_report(deputy, title="走访社区"):
    activity = DutyActivityFactory(
        body=deputy.body, kind=ActivityKind.VOTER_VISIT, title=title, source=DutyActivity.Source.SELF_REPORTED,
        state=DutyActivity.State.PENDING, reported_by=deputy.user,
    )
    DutyParticipationFactory(activity=activity, deputy=deputy)
    return activity


def test_verification_queue_verifies_with_an_htmx_fragment(client, login, staff_clerk, deputy):
    activity = _self_report(deputy)
    login(client, staff_clerk)
    queue = client.get(reverse("console:deputies:verification_queue"))
    assert [item.pk for item in queue.context["page_obj"]] == [activity.pk]

    response = client.post(reverse("console:deputies:activity_verify", args=[activity.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="queue-{activity.pk}"')
    activity.refresh_from_db()
    assert (activity.state, activity.verified_by) == (DutyActivity.State.VERIFIED, staff_clerk)
    assert selectors.deputy_score(deputy, 2026).score == 2


def test_rejecting_needs_a_reason_which_the_deputy_is_told(client, login, staff_clerk, deputy, deputy_user):
    activity = _self_report(deputy)
    login(client, staff_clerk)
    url = reverse("console:deputies:activity_reject", args=[activity.pk])

    refused = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    activity.refresh_from_db()
    assert refused.status_code == 400 and activity.state == DutyActivity.State.PENDING

    client.post(url, {"reason": "无佐证材料"}, HTTP_HX_REQUEST="true")
    activity.refresh_from_db()
    assert (activity.state, activity.rejection_reason) == (DutyActivity.State.REJECTED, "无佐证材料")
    assert deputy_user.notifications.filter(kind="deputies.activity_rejected").exists()


def test_township_officer_cannot_verify_district_deputies_reports(client, login, township_officer_a, deputy):
    activity = _self_report(deputy)
    login(client, township_officer_a)

    assert client.post(reverse("console:deputies:activity_verify", args=[activity.pk])).status_code == 404
    activity.refresh_from_db()
    assert activity.state == DutyActivity.State.PENDING


def test_score_rules_editor_changes_scores_at_once(client, login, staff_admin, district_body, district_deputy_a):
    participate(district_deputy_a, kind=ActivityKind.INSPECTION, times=2)
    login(client, staff_admin)
    url = f"{reverse('console:deputies:score_rules')}?body={district_body.pk}"
    form = client.get(url).context["form"]
    data = {name: form[name].initial if form[name].initial is not None else "" for name in form.fields}
    data.update({"body": district_body.pk, "inspection_points": 8, "inspection_cap": 10})

    response = client.post(url, data)

    assert response.status_code == 302
    assert selectors.deputy_score(district_deputy_a, 2026).score == 10


def test_a_clerk_reads_but_cannot_change_the_score_rules(client, login, staff_clerk, district_body):
    login(client, staff_clerk)
    url = f"{reverse('console:deputies:score_rules')}?body={district_body.pk}"

    assert client.get(url).context["can_edit"] is False
    assert client.post(url, {"inspection_points": 50}).status_code == 403


def test_staff_add_a_theme_year(client, login, staff_clerk, district_body):
    login(client, staff_clerk)

    client.post(
        f"{reverse('console:deputies:theme_years')}?body={district_body.pk}",
        {"year": 2026, "name": "争当表率促发展", "description": ""},
    )

    assert ThemeYear.objects.filter(body=district_body, year=2026, name="争当表率促发展").exists()


def test_contact_board_pairs_logs_and_lists_pairs_below_the_minimum(client, login, staff_clerk, district_body):
    member = DeputyFactory(body=district_body, name="常委甲", is_standing_committee_member=True)
    first, second = DeputyFactory(body=district_body, name="代表甲"), DeputyFactory(body=district_body, name="代表乙")
    login(client, staff_clerk)
    year = datetime.date.today().year
    for deputy in (first, second):
        client.post(
            reverse("console:deputies:contact_pair_create"),
            {"body": district_body.pk, "year": year, "member": member.pk, "deputy": deputy.pk},
        )
    pair = ContactPair.objects.get(deputy=first)
    for day in (1, 2):
        client.post(
            reverse("console:deputies:contact_log_create", args=[pair.pk]),
            {"date": f"{year}-01-0{day}", "channel": "phone", "content": "了解履职情况"},
        )

    board = client.get(reverse("console:deputies:contact_board"), {"body": district_body.pk, "year": year})

    assert ContactPair.objects.filter(member=member).count() == 2
    assert ContactLog.objects.filter(pair=pair, logged_side=ContactLog.Side.STAFF).count() == 2
    assert [item.deputy.name for item in board.context["below"]] == ["代表乙"]
    assert {(item.deputy.name, item.contacts) for item in board.context["pairs"]} == {("代表甲", 2), ("代表乙", 0)}



def test_contact_board_measures_pairs_against_the_bodys_own_yearly_minimum(client, login, staff_clerk, district_body):
    from congress.models import BodyRules

    BodyRules.objects.create(body=district_body, contact_pair_yearly_minimum=4)
    member = DeputyFactory(body=district_body, name="常委甲", is_standing_committee_member=True)
    year = datetime.date.today().year
    pair = ContactPair.objects.create(body=district_body, year=year, member=member, deputy=DeputyFactory(
        body=district_body, name="代表甲"))
    for day in (1, 2, 3):
        ContactLog.objects.create(pair=pair, date=datetime.date(year, 1, day), channel="phone", content="联系",
                                  logged_side=ContactLog.Side.STAFF)
    login(client, staff_clerk)

    board = client.get(reverse("console:deputies:contact_board"), {"body": district_body.pk, "year": year})

    assert board.context["minimum"] == 4
    assert [(item.deputy.name, item.contacts, item.minimum) for item in board.context["below"]] == [("代表甲", 3, 4)]
    assert "低于每年至少 4 次的联系要求" in board.content.decode()


def test_every_page_renders_for_a_clerk_and_the_import_template_has_the_columns(
    client, login, staff_clerk, district_body, district_deputy_a, township_body_a
):
    import io

    from openpyxl import load_workbook

    from deputies.imports import COLUMNS

    (activity,) = participate(district_deputy_a)
    login(client, staff_clerk)
    pages = [
        reverse("console:deputies:roster_import"),
        reverse("console:deputies:activity_create"),
        f"{reverse('console:deputies:activity_create')}?body={district_body.pk}",
        reverse("console:deputies:activity_detail", args=[activity.pk]),
        reverse("console:deputies:deputy_create"),
        reverse("console:deputies:verification_queue"),
        reverse("console:deputies:theme_years"),
        reverse("console:deputies:score_rules"),
        reverse("console:deputies:contact_board"),
        f"{reverse('console:deputies:contact_board')}?body={district_body.pk}",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url

    template = client.get(reverse("console:deputies:import_template"))
    header = next(load_workbook(io.BytesIO(template.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(header) == len(COLUMNS)
