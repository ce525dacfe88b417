"""Public pages: directory, a deputy's card, the published outstanding list, the ballot page."""

import datetime

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import BallotSlip, Deputy
from tests.factories.deputies import DeputyFactory, participate

DAY = datetime.date(2026, 3, 2)


def test_directory_lists_serving_deputies_filtered_by_body_and_town(
    client, district_deputy_a, district_deputy_b, township_deputy_a, district_body, town_a,
    django_assert_max_num_queries,
):
    DeputyFactory(body=district_body, status=Deputy.Status.DECEASED, name="已故代表")
    url = reverse("public:deputies:directory")

    with django_assert_max_num_queries(6):
        everyone = client.get(url)
    by_town = client.get(url, {"town": town_a.pk})
    by_body = client.get(url, {"body": district_body.pk})

    assert {d.name for d in everyone.context["page_obj"]} == {"陈区代表", "黄区代表", "王镇代表"}
    assert {d.name for d in by_town.context["page_obj"]} == {"陈区代表", "王镇代表"}
    assert {d.name for d in by_body.context["page_obj"]} == {"陈区代表", "黄区代表"}


def test_the_public_card_never_shows_id_number_or_phone(client, district_deputy_a):
    participate(district_deputy_a, kind="inspection", times=2, date=datetime.date.today())
    response = client.get(reverse("public:deputies:detail", args=[district_deputy_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "陈区代表" in html and "大同第一选区" in html
    assert district_deputy_a.id_number not in html and district_deputy_a.phone not in html
    assert district_deputy_a.masked_phone not in html and district_deputy_a.masked_id_number not in html
    assert [count for _label, count in response.context["summary"]] == [2]


def test_the_directory_never_shows_id_numbers_or_phones(client, district_deputy_a):
    html = client.get(reverse("public:deputies:directory")).content.decode()
    assert district_deputy_a.id_number not in html and district_deputy_a.phone not in html


def test_an_ended_mandate_has_no_public_card(client, district_body):
    gone = DeputyFactory(body=district_body, status=Deputy.Status.RESIGNED)
    assert client.get(reverse("public:deputies:detail", args=[gone.pk])).status_code == 404


def test_only_published_selections_are_shown(client, staff_admin, district_body, district_deputy_a):
    selection = services.selection_create(actor=staff_admin, body=district_body, year=2026)
    for _index in range(4):
        DeputyFactory(body=district_body)
    services.selection_open_nominations(actor=staff_admin, selection=selection)
    nomination = services.nomination_create(
        actor=staff_admin, selection=selection, deputy=district_deputy_a, reason="履职突出"
    )
    services.selection_close_nominations(actor=staff_admin, selection=selection)
    services.selection_decide(actor=staff_admin, selection=selection, selected=[nomination])
    url = reverse("public:deputies:outstanding")

    assert list(client.get(url).context["selections"]) == []
    services.selection_publish(actor=staff_admin, selection=selection)
    html = client.get(url).content.decode()
    assert "陈区代表" in html and "大同街道" in html


# ---- the ballot page -------------------------------------------------------------------------


@pytest.fixture
def ballot_tokens(staff_clerk, deputy):
    report = services.voter_report_plan(actor=staff_clerk, deputy=deputy, scheduled_on=DAY, place="站")
    services.voter_report_record_meeting(
        actor=staff_clerk, report=report, held_on=DAY, representatives_present=50, report_text="报告"
    )
    return [token for _serial, token in services.ballot_slips_generate(actor=staff_clerk, report=report, count=2)]


def test_a_voter_votes_once_on_the_ballot_page(client, ballot_tokens):
    url = reverse("public:deputies:ballot", args=[ballot_tokens[0]])

    page = client.get(url)
    first = client.post(url, {"choice": "basically_satisfied"})
    second = client.post(url, {"choice": "unsatisfied"})
    again = client.get(url)

    assert page.status_code == 200 and "林代表" in page.content.decode()
    assert first.status_code == 200 and first.context["voted"]
    assert second.status_code == 409 and not second.context["voted"]
    assert again.context["error"]
    assert list(BallotSlip.objects.exclude(choice="").values_list("choice", flat=True)) == ["basically_satisfied"]
    assert first["Cache-Control"].startswith("max-age=0") or "no-cache" in first["Cache-Control"]


def test_a_bad_choice_or_unknown_link_is_refused(client, ballot_tokens):
    url = reverse("public:deputies:ballot", args=[ballot_tokens[1]])
    assert client.post(url, {"choice": "great"}).status_code == 400
    assert client.get(reverse("public:deputies:ballot", args=["no-such-link"])).status_code == 404
    assert not BallotSlip.objects.exclude(choice="").exists()
