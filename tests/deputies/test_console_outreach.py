"""Console pages of the outstanding-deputy selection and of reports to voters."""

import datetime

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import BallotSlip, Nomination, PaperTally, Selection, VoterReport
from tests.factories.deputies import DeputyFactory

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def selection(staff_admin, district_body, district_deputy_a, district_deputy_b):
    for _index in range(8):
        DeputyFactory(body=district_body)
    selection = services.selection_create(actor=staff_admin, body=district_body, year=2026)
    return services.selection_open_nominations(actor=staff_admin, selection=selection)


def test_staff_run_a_selection_through_the_console(client, login, staff_admin, district_body, district_deputy_a):
    for _index in range(4):  # a pool of five: one place
        DeputyFactory(body=district_body)
    login(client, staff_admin)
    response = client.post(reverse("console:deputies:selection_list"), {"body": district_body.pk, "year": 2027})
    selection = Selection.objects.get(year=2027)
    assert response.status_code == 302
    detail = reverse("console:deputies:selection_detail", args=[selection.pk])

    client.post(reverse("console:deputies:selection_open", args=[selection.pk]))
    client.post(reverse("console:deputies:selection_nominate", args=[selection.pk]),
                {"deputy": district_deputy_a.pk, "reason": "履职突出"})
    client.post(reverse("console:deputies:selection_close", args=[selection.pk]))
    nomination = Nomination.objects.get()
    client.post(reverse("console:deputies:selection_decide", args=[selection.pk]), {"selected": [nomination.pk]})
    client.post(reverse("console:deputies:selection_publish", args=[selection.pk]))

    selection.refresh_from_db()
    assert selection.state == Selection.State.PUBLISHED
    page = client.get(detail)
    assert page.status_code == 200 and "陈区代表" in page.content.decode()


def test_township_officer_nominates_only_their_towns_deputies(
    client, login, township_officer_a, selection, district_deputy_a, district_deputy_b
):
    login(client, township_officer_a)
    page = client.get(reverse("console:deputies:selection_detail", args=[selection.pk]))
    choices = dict(page.context["nomination_form"].fields["deputy"].choices)
    assert district_deputy_a.pk in choices and district_deputy_b.pk not in choices

    url = reverse("console:deputies:selection_nominate", args=[selection.pk])
    client.post(url, {"deputy": district_deputy_b.pk, "reason": "越权提名"})
    client.post(url, {"deputy": district_deputy_a.pk, "reason": "本镇推荐"})
    assert list(Nomination.objects.values_list("deputy", flat=True)) == [district_deputy_a.pk]
    # Running the selection stays with the congress's staff.
    client.post(reverse("console:deputies:selection_close", args=[selection.pk]))
    selection.refresh_from_db()
    assert selection.state == Selection.State.NOMINATING


def test_a_unit_officer_cannot_reach_the_selection_pages(client, login, unit_officer, selection):
    login(client, unit_officer)
    assert client.get(reverse("console:deputies:selection_list")).status_code == 403
    assert client.get(reverse("console:deputies:selection_detail", args=[selection.pk])).status_code == 403


def test_the_plan_warns_of_unscheduled_deputies(client, login, staff_clerk, deputy, district_deputy_a):
    login(client, staff_clerk)
    response = client.post(
        reverse("console:deputies:voter_report_plan"),
        {"deputy": deputy.pk, "scheduled_on": DAY.isoformat(), "place": "大同街道代表联络站"},
    )
    assert response.status_code == 302
    page = client.get(reverse("console:deputies:voter_report_plan"))
    assert [d.name for d in page.context["not_scheduled"]] == ["陈区代表"]


def test_staff_hold_the_meeting_print_slips_and_watch_the_live_tally(
    client, login, staff_clerk, deputy, django_assert_max_num_queries
):
    report = services.voter_report_plan(actor=staff_clerk, deputy=deputy, scheduled_on=DAY, place="站")
    login(client, staff_clerk)
    client.post(
        reverse("console:deputies:voter_report_meeting", args=[report.pk]),
        {"held_on": DAY.isoformat(), "representatives_present": 55, "report_text": "述职报告"},
    )
    report.refresh_from_db()
    assert report.state == VoterReport.State.HELD

    printed = client.post(reverse("console:deputies:voter_report_slips", args=[report.pk]), {"count": 3})
    links = [url for _serial, url in printed.context["slips"]]
    assert printed["Cache-Control"] == "no-store" and len(links) == 3
    client.post(links[0], {"choice": "satisfied"})
    client.post(reverse("console:deputies:voter_report_paper_tally", args=[report.pk]),
                {"satisfied": 2, "basically_satisfied": 1, "unsatisfied": 0})

    with django_assert_max_num_queries(12):
        fragment = client.get(reverse("console:deputies:voter_report_tally", args=[report.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert 'hx-trigger="every 5s"' in html
    assert fragment.context["tally"].total == 4 and fragment.context["tally"].satisfied == 3
    assert BallotSlip.objects.exclude(choice="").count() == 1 and PaperTally.objects.count() == 1

    client.post(reverse("console:deputies:voter_report_close", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == VoterReport.State.CLOSED and report.satisfied == 3


def test_a_township_officer_cannot_manage_a_district_report(client, login, township_officer_a, staff_clerk, deputy):
    report = services.voter_report_plan(actor=staff_clerk, deputy=deputy, scheduled_on=DAY, place="站")
    login(client, township_officer_a)
    client.post(reverse("console:deputies:voter_report_slips", args=[report.pk]), {"count": 3})
    assert not BallotSlip.objects.exists()
