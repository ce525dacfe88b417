"""The deputy portal: every page works on the logged-in deputy's own mandate; others are 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models.accounts import Role
from deputies import services
from deputies.models import ActivityKind, ContactLog, DutyActivity, VoterReport
from tests.factories.congress import user_with_role
from tests.factories.deputies import ContactPairFactory, DeputyFactory, participate
from tests.factories.images import JPEG

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def other_deputy(district_body):
    user = user_with_role(Role.DEPUTY, username="other_deputy", body=district_body)
    return DeputyFactory(body=district_body, user=user, name="另一代表")


def _url(name, deputy=None, *args):
    url = reverse(f"portal:deputies:{name}", args=args)
    return f"{url}?mandate={deputy.pk}" if deputy else url


def test_duty_record_shows_my_score_and_band(client, login, deputy, django_assert_max_num_queries):
    participate(deputy, kind=ActivityKind.INSPECTION, times=2, date=TODAY.replace(month=1, day=15))
    login(client, deputy.user)

    with django_assert_max_num_queries(20):
        response = client.get(_url("record"))

    assert response.status_code == 200
    assert response.context["score"].score == 10
    assert response.context["score"].band == "poor"
    assert response.context["deputy"] == deputy


def test_another_deputys_mandate_is_404(client, login, deputy, other_deputy):
    login(client, deputy.user)
    for name in ("record", "profile", "contacts", "voter_reports", "activity_report"):
        assert client.get(_url(name, other_deputy)).status_code == 404, name


def test_an_account_without_a_mandate_gets_404(client, login, deputy_user):
    login(client, deputy_user)
    assert client.get(_url("record")).status_code == 404


def test_staff_without_the_deputy_role_cannot_use_the_portal(client, login, staff_admin):
    login(client, staff_admin)
    assert client.get(_url("record")).status_code == 403


def test_profile_shows_private_details_masked_and_never_in_full(client, login, deputy):
    login(client, deputy.user)
    response = client.get(_url("profile", deputy))
    html = response.content.decode()
    assert deputy.masked_phone in html and deputy.masked_id_number in html
    assert deputy.phone not in html and deputy.id_number not in html


def test_deputy_edits_the_public_part_of_the_profile(client, login, deputy):
    login(client, deputy.user)
    photo = SimpleUploadedFile("me.jpg", JPEG, content_type="image/jpeg")
    response = client.post(_url("profile", deputy), {"public_bio": "长期关注农村公路", "photo": photo, "name": "改名"})
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.public_bio == "长期关注农村公路"
    assert deputy.name == "林代表"  # the private part is not editable here
    assert deputy.photo
    assert client.get(_url("own_photo", deputy)).status_code == 200


def test_a_photo_that_is_not_an_image_is_refused(client, login, deputy):
    login(client, deputy.user)
    fake = SimpleUploadedFile("me.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client.post(_url("profile", deputy), {"public_bio": "x", "photo": fake})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    deputy.refresh_from_db()
    assert not deputy.photo and deputy.public_bio == ""


def test_deputy_reports_an_activity_with_a_photo(client, login, deputy):
    login(client, deputy.user)
    photo = SimpleUploadedFile("visit.jpg", JPEG, content_type="image/jpeg")
    response = client.post(
        _url("activity_report"),
        {"mandate": deputy.pk, "kind": "voter_visit", "title": "走访困难群众", "date": TODAY.isoformat(),
         "place": "西柯村", "description": "", "photo": photo},
    )
    assert response.status_code == 302
    activity = DutyActivity.objects.get()
    assert (activity.state, activity.source, activity.reported_by) == ("pending", "self_reported", deputy.user)
    assert activity.participations.get().deputy == deputy
    assert activity.attachment
    assert client.get(_url("activity_photo", None, activity.pk)).status_code == 200


def test_an_oversized_or_fake_photo_blocks_the_report(client, login, deputy):
    login(client, deputy.user)
    big = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (5 * 1024 * 1024), content_type="image/jpeg")
    response = client.post(
        _url("activity_report", deputy),
        {"kind": "voter_visit", "title": "走访", "date": TODAY.isoformat(), "photo": big},
    )
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert not DutyActivity.objects.exists()


def test_staff_only_kinds_cannot_be_self_reported(client, login, deputy):
    login(client, deputy.user)
    response = client.post(
        _url("activity_report", deputy), {"kind": "session", "title": "开会", "date": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert not DutyActivity.objects.exists()


def test_another_deputys_activity_photo_is_404(client, login, deputy, other_deputy):
    photo = SimpleUploadedFile("visit.jpg", JPEG, content_type="image/jpeg")
    activity = services.activity_self_report(
        actor=other_deputy.user, deputy=other_deputy, kind="voter_visit", date=TODAY, title="走访", attachment=photo
    )
    login(client, deputy.user)
    assert client.get(_url("activity_photo", None, activity.pk)).status_code == 404


def test_deputy_logs_a_contact_with_their_member(client, login, deputy, district_body, other_deputy):
    member = DeputyFactory(body=district_body, is_standing_committee_member=True, name="常委")
    pair = ContactPairFactory(body=district_body, member=member, deputy=deputy, year=TODAY.year)
    foreign = ContactPairFactory(body=district_body, member=member, deputy=other_deputy, year=TODAY.year)
    login(client, deputy.user)

    page = client.get(_url("contacts", deputy))
    assert [item.pk for item in page.context["pairs"]] == [pair.pk]

    data = {"mandate": deputy.pk, "date": TODAY.isoformat(), "channel": "phone", "content": "电话沟通"}
    assert client.post(_url("contact_log", None, pair.pk), data).status_code == 302
    assert client.post(_url("contact_log", None, foreign.pk), data).status_code == 404
    log = ContactLog.objects.get()
    assert (log.pair, log.logged_side) == (pair, ContactLog.Side.DEPUTY)


def test_deputy_writes_the_rectification_plan_of_their_report(client, login, deputy, other_deputy, staff_clerk):
    def failed_report(person):
        report = services.voter_report_plan(actor=staff_clerk, deputy=person, scheduled_on=TODAY, place="站")
        services.voter_report_record_meeting(
            actor=staff_clerk, report=report, held_on=TODAY, representatives_present=50, report_text="报告"
        )
        services.paper_tally_add(actor=staff_clerk, report=report, satisfied=1, basically_satisfied=0, unsatisfied=3)
        return services.voter_report_close_ballot(actor=staff_clerk, report=report)

    mine, theirs = failed_report(deputy), failed_report(other_deputy)
    login(client, deputy.user)

    page = client.get(_url("voter_reports", deputy))
    assert [report.pk for report in page.context["reports"]] == [mine.pk]
    assert client.post(_url("voter_report_rectification", None, theirs.pk),
                       {"mandate": deputy.pk, "plan": "代写"}).status_code == 404
    client.post(_url("voter_report_rectification", None, mine.pk), {"mandate": deputy.pk, "plan": "整改：每月走访"})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.state == VoterReport.State.CLOSED and mine.rectification_plan == "整改：每月走访"
    assert theirs.state == VoterReport.State.RECTIFICATION_REQUIRED
