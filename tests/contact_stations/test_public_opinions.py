"""A citizen's opinion through the public pages: submitting with and without contact, the SMS
code, the receipt, tracking by receipt code and the single-use rating link."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contact_stations import services
from contact_stations.models import Opinion, OpinionPhoto, Rating, ReturnVisit, SmsCode
from tests.contact_stations.conftest import CITIZEN_PHONE
from tests.factories.images import JPEG

pytestmark = pytest.mark.django_db
State = Opinion.State

CONTENT = "西山社区门口的路灯坏了一个月，晚上出行很不安全。"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submit_url(station_a):
    return reverse("public:stations:submit_station", args=[station_a.public_code])


@pytest.fixture
def sms_url(station_a):
    return reverse("public:stations:sms_code_station", args=[station_a.public_code])


def _form(**overrides):
    data = {"content": CONTENT, "category": Opinion.Category.URBAN, "place": "西山社区北门"}
    data.update(overrides)
    return data


def _code_from(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1]["message"]).group(1)


def _request_code(client, sms_url, sms_outbox, django_capture_on_commit_callbacks, phone=CITIZEN_PHONE, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sms_url, _form(citizen_phone=phone, citizen_name="张女士", **extra))
    return response


# ---- submitting ------------------------------------------------------------------------------


def test_anonymous_opinion_is_received_and_the_receipt_code_shown(client, station_a, submit_url):
    assert client.get(submit_url).status_code == 200

    response = client.post(submit_url, _form())

    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("public:stations:receipt")
    assert (opinion.station, opinion.source, opinion.state) == (station_a, Opinion.Source.QR_FORM, State.RECEIVED)
    assert (opinion.content, opinion.place, opinion.category) == (CONTENT, "西山社区北门", Opinion.Category.URBAN)
    assert opinion.citizen_phone == "" and opinion.consent_at is None
    receipt = client.get(response["Location"])
    assert opinion.receipt_code in receipt.content.decode()
    assert receipt["Cache-Control"].startswith("max-age=0") or "no-store" in receipt["Cache-Control"]


def test_opinion_from_a_deputy_card_is_addressed_to_the_deputy(client, stationed_deputy):
    response = client.post(reverse("public:stations:submit_deputy", args=[stationed_deputy.public_code]), _form())

    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert opinion.deputy == stationed_deputy and opinion.station is None


def test_opinion_with_a_verified_phone_keeps_contact_and_consent(
    client, submit_url, sms_url, sms_outbox, django_capture_on_commit_callbacks
):
    sent = _request_code(client, sms_url, sms_outbox, django_capture_on_commit_callbacks)

    assert sent.status_code == 200 and sent.context["code_sent"]
    page = sent.content.decode()
    assert CONTENT in page and CITIZEN_PHONE in page  # what the citizen typed is kept
    assert sent["Cache-Control"] and "max-age=0" in sent["Cache-Control"]
    assert sms_outbox[-1]["phone"] == CITIZEN_PHONE

    response = client.post(
        submit_url,
        _form(citizen_name="张女士", citizen_phone=CITIZEN_PHONE, sms_code=_code_from(sms_outbox), consent="on"),
    )

    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert (opinion.citizen_name, opinion.citizen_phone) == ("张女士", CITIZEN_PHONE)
    assert opinion.phone_verified_at and opinion.consent_at


def test_contact_without_consent_is_refused(client, submit_url):
    response = client.post(submit_url, _form(citizen_name="张女士"))

    assert response.status_code == 400
    assert "consent" in response.context["form"].errors
    assert not Opinion.objects.exists()


def test_phone_without_code_or_with_a_wrong_code_is_refused(
    client, submit_url, sms_url, sms_outbox, django_capture_on_commit_callbacks
):
    no_code = client.post(submit_url, _form(citizen_phone=CITIZEN_PHONE, consent="on"))
    _request_code(client, sms_url, sms_outbox, django_capture_on_commit_callbacks)
    wrong_code = "000000" if _code_from(sms_outbox) != "000000" else "111111"
    wrong = client.post(submit_url, _form(citizen_phone=CITIZEN_PHONE, consent="on", sms_code=wrong_code))

    assert no_code.status_code == 400 and "sms_code" in no_code.context["form"].errors
    assert wrong.status_code == 400 and "sms_code" in wrong.context["form"].errors
    assert not Opinion.objects.exists()
    assert SmsCode.objects.get().attempts == 1  # the wrong guess counted


def test_an_expired_code_is_refused(client, submit_url, sms_url, sms_outbox, django_capture_on_commit_callbacks):
    _request_code(client, sms_url, sms_outbox, django_capture_on_commit_callbacks)
    SmsCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(
        submit_url, _form(citizen_phone=CITIZEN_PHONE, consent="on", sms_code=_code_from(sms_outbox))
    )

    assert response.status_code == 400 and "sms_code" in response.context["form"].errors
    assert not Opinion.objects.exists()


def test_a_second_code_within_a_minute_is_refused_with_429(
    client, sms_url, sms_outbox, django_capture_on_commit_callbacks
):
    first = _request_code(client, sms_url, sms_outbox, django_capture_on_commit_callbacks)
    second = _request_code(client, sms_url, sms_outbox, django_capture_on_commit_callbacks)

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.context["phone_error"] == str(services.SmsRateLimited.default_message)
    assert CONTENT in second.content.decode()  # the citizen's text survives the refusal
    assert len(sms_outbox) == 1 and SmsCode.objects.count() == 1


def test_code_request_for_an_invalid_phone_sends_nothing(client, sms_url, sms_outbox):
    response = client.post(sms_url, _form(citizen_phone="12345"))

    assert response.status_code == 400 and response.context["phone_error"]
    assert sms_outbox == [] and not SmsCode.objects.exists()


def test_code_request_needs_post(client, sms_url):
    assert client.get(sms_url).status_code == 405


def test_photos_are_stored_when_they_are_images(client, submit_url):
    photo = SimpleUploadedFile("lamp.html", JPEG, content_type="text/html")

    response = client.post(submit_url, {**_form(), "photos": [photo]})

    assert response.status_code == 302
    stored = OpinionPhoto.objects.get()
    assert stored.opinion == Opinion.objects.get() and stored.content_type == "image/jpeg"
    # Typed by its bytes and renamed: the browser's name and type are not trusted.
    assert stored.image.name.endswith(".jpg") and "lamp" not in stored.image.name


def test_a_file_that_is_not_an_image_is_refused(client, submit_url):
    fake = SimpleUploadedFile("lamp.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")

    response = client.post(submit_url, {**_form(), "photos": [fake]})

    assert response.status_code == 400 and "photos" in response.context["form"].errors
    assert not Opinion.objects.exists() and not OpinionPhoto.objects.exists()


def test_more_than_three_photos_are_refused(client, submit_url):
    photos = [SimpleUploadedFile(f"p{index}.jpg", JPEG, content_type="image/jpeg") for index in range(4)]

    response = client.post(submit_url, {**_form(), "photos": photos})

    assert response.status_code == 400 and "photos" in response.context["form"].errors


# ---- tracking --------------------------------------------------------------------------------


def test_tracking_shows_the_status_timeline_and_no_personal_data(client, station_a, township_officer_a):
    opinion = services.opinion_submit(
        station=station_a, content=CONTENT, citizen_name="张秀英", citizen_phone="", consent=True, place="西山社区北门"
    )
    services.opinion_acknowledge(actor=township_officer_a, opinion=opinion)
    services.opinion_pass_to_town(actor=township_officer_a, opinion=opinion, note="请张秀英家属配合")

    response = client.get(reverse("public:stations:track"), {"code": opinion.receipt_code.lower()})

    body = response.content.decode()
    assert response.status_code == 200
    labels = [step.state_label for step in response.context["timeline"]]
    assert labels == [str(State.RECEIVED.label), str(State.ACKNOWLEDGED.label), str(State.PASSED_TO_TOWN.label)]
    assert str(State.PASSED_TO_TOWN.label) in body
    # Neither the name, nor the content, nor the place, nor a routing note reaches the page.
    for private in ("张秀英", CONTENT, "西山社区北门", "家属配合"):
        assert private not in body
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_tracking_an_unknown_code_says_so(client, station_a):
    response = client.get(reverse("public:stations:track"), {"code": "0000000000"})

    assert response.status_code == 404 and response.context["status"] is None


def test_tracking_page_without_a_code_shows_the_form(client, db):
    response = client.get(reverse("public:stations:track"))

    assert response.status_code == 200 and not response.context["searched"]


# ---- rating ----------------------------------------------------------------------------------


@pytest.fixture
def rating_token(station_a, township_officer_a, sms_outbox, django_capture_on_commit_callbacks):
    opinion = services.opinion_submit(station=station_a, content=CONTENT)
    Opinion.objects.filter(pk=opinion.pk).update(citizen_phone=CITIZEN_PHONE)  # verified at submission
    opinion.refresh_from_db()
    services.opinion_answer_on_spot(actor=township_officer_a, opinion=opinion, text="已安排维修路灯")
    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_close(actor=township_officer_a, opinion=opinion)
    match = re.search(r"(/stations/opinions/rate/[\w-]+/)", sms_outbox[-1]["message"])
    return match.group(1), opinion


def test_rating_link_in_the_sms_opens_the_rating_page(client, rating_token):
    url, opinion = rating_token

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["link"].receipt_code == opinion.receipt_code
    assert "已安排维修路灯" in response.content.decode()


def test_rating_link_works_once(client, rating_token):
    url, opinion = rating_token

    first = client.post(url, {"rating": Rating.SATISFIED})
    again = client.post(url, {"rating": Rating.UNSATISFIED, "reason": "改主意了"})
    reopened_page = client.get(url)

    assert first.status_code == 200 and first.context["done"].rating == Rating.SATISFIED
    assert again.status_code == 404 and again.context["error"]
    assert reopened_page.status_code == 404
    visit = ReturnVisit.objects.get(opinion=opinion)
    assert visit.rating == Rating.SATISFIED and visit.channel == ReturnVisit.Channel.LINK
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED


def test_unsatisfied_needs_a_reason_and_reopens(client, rating_token):
    url, opinion = rating_token

    without_reason = client.post(url, {"rating": Rating.UNSATISFIED})
    with_reason = client.post(url, {"rating": Rating.UNSATISFIED, "reason": "路灯还是不亮"})

    assert without_reason.status_code == 400 and "reason" in without_reason.context["form"].errors
    assert with_reason.status_code == 200
    opinion.refresh_from_db()
    assert opinion.state == State.REOPENED


def test_rating_after_the_opinion_was_reopened_is_refused(client, rating_token, township_officer_a):
    url, opinion = rating_token
    services.opinion_reopen(actor=township_officer_a, opinion=opinion, reason="群众来电反映问题仍在")

    page = client.get(url)
    response = client.post(url, {"rating": Rating.SATISFIED})

    assert page.status_code == 200 and not page.context["link"].still_closed
    assert "<form" not in page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert response.status_code == 409 and response.context["error"]
    assert not ReturnVisit.objects.get(opinion=opinion).is_rated
    opinion.refresh_from_db()
    assert opinion.state == State.REOPENED


def test_unknown_rating_link_is_404(client, db):
    response = client.get(reverse("public:stations:rate", args=["not-a-token"]))

    assert response.status_code == 404 and response.context["error"]


def test_rate_path_of_the_sms_matches_the_url():
    from contact_stations.services.return_visits import RATE_PATH

    assert RATE_PATH.format(token="abc") == reverse("public:stations:rate", args=["abc"])
