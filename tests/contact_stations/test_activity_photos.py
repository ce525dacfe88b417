"""Photos of station activities (SECURITY S16): uploaded by the keeper or staff on the console
activity page, checked by their bytes and size, served only through permission-checked views,
and shown on the public station page only once the activity is published."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import Event
from contact_stations import services
from contact_stations.models import StationActivityPhoto
from tests.factories.images import JPEG, PNG, WEBP


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def activity(station_a, station_keeper):
    return services.station_activity_create(
        actor=station_keeper, station=station_a, kind="themed", title="代表有约：垃圾分类",
        date=datetime.date(2026, 4, 10),
    )


def _upload(content=JPEG, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _add_photo_url(activity):
    return reverse("console:stations:activity_photo_add", args=[activity.pk])


def _public_page(station):
    return reverse("public:stations:station", args=[station.public_code])


# ---- upload ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "extension"), [(JPEG, ".jpg"), (PNG, ".png"), (WEBP, ".webp")])
def test_the_keeper_uploads_a_photo_stored_under_a_random_name_with_an_event(
    client, login, station_keeper, activity, media, content, extension
):
    login(client, station_keeper)

    response = client.post(_add_photo_url(activity), {"image": _upload(content, "<script>.html"), "caption": "现场"})

    assert response.status_code == 302
    photo = StationActivityPhoto.objects.get(activity=activity)
    assert photo.caption == "现场" and photo.uploaded_by == station_keeper
    assert photo.image.name.endswith(extension) and "script" not in photo.image.name
    assert (media / photo.image.name).exists()
    assert Event.objects.for_object(activity).filter(verb="photo_added", data={"photo": photo.pk}).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64,  # a JPEG header on nothing
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + b"\x00" * 32,
    ],
)
def test_anything_but_a_real_jpeg_png_or_webp_is_refused_with_a_message(
    client, login, station_keeper, activity, content
):
    login(client, station_keeper)

    response = client.post(_add_photo_url(activity), {"image": _upload(content)})

    assert response.status_code == 400
    assert response.context["photo_form"].errors["image"] == ["请上传 JPEG、PNG 或 WebP 格式的照片。"]
    assert not StationActivityPhoto.objects.exists()


def test_a_photo_over_5_mb_is_refused(station_keeper, activity):
    big = _upload(JPEG + b"\x00" * (5 * 1024 * 1024))

    with pytest.raises(ValidationError) as refused:
        services.station_activity_add_photo(actor=station_keeper, activity=activity, image=big)

    assert refused.value.message_dict["image"] == ["照片超过 5 MB。"]
    assert not StationActivityPhoto.objects.exists()


def test_another_towns_officer_cannot_upload(client, login, township_officer_b, station_keeper, activity):
    with pytest.raises(PermissionDenied):
        services.station_activity_add_photo(actor=township_officer_b, activity=activity, image=_upload())

    response = login(client, township_officer_b).post(_add_photo_url(activity), {"image": _upload()})

    assert response.status_code == 404
    assert not StationActivityPhoto.objects.exists()


# ---- serving ---------------------------------------------------------------------------------


@pytest.fixture
def photo(activity, station_keeper):
    return services.station_activity_add_photo(actor=station_keeper, activity=activity, image=_upload(PNG))


def test_the_console_serves_a_photo_to_whoever_sees_the_station_and_no_one_else(
    client, login, township_officer_a, township_officer_b, photo
):
    url = reverse("console:stations:activity_photo", args=[photo.pk])

    allowed = login(client, township_officer_a).get(url)
    assert allowed.status_code == 200 and allowed["Content-Type"] == "image/png"
    assert b"".join(allowed.streaming_content) == PNG

    assert login(client, township_officer_b).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_activity_page_shows_thumbnails_from_the_checked_view_never_from_media_url(
    client, login, township_officer_a, activity, photo, settings
):
    page = login(client, township_officer_a).get(reverse("console:stations:activity_detail", args=[activity.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("console:stations:activity_photo", args=[photo.pk]) in body
    assert settings.MEDIA_URL not in body


def test_photos_appear_on_the_public_station_page_only_once_the_activity_is_published(
    client, login, station_a, station_keeper, activity, photo
):
    photo_url = reverse("public:stations:activity_photo", args=[station_a.public_code, photo.pk])

    assert activity.title not in client.get(_public_page(station_a)).content.decode()
    assert client.get(photo_url).status_code == 404

    publish = reverse("console:stations:activity_publish", args=[activity.pk])
    login(client, station_keeper).post(publish, {"is_public": "1"})
    client.logout()

    body = client.get(_public_page(station_a)).content.decode()
    assert activity.title in body and photo_url in body
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert Event.objects.for_object(activity).filter(verb="made_public").count() == 1


def test_a_public_photo_is_not_found_under_another_stations_code(client, station_b, station_keeper, activity, photo):
    services.station_activity_set_public(actor=station_keeper, activity=activity, is_public=True)

    elsewhere = reverse("public:stations:activity_photo", args=[station_b.public_code, photo.pk])
    assert client.get(elsewhere).status_code == 404


def test_taking_an_activity_off_the_public_page_hides_its_photos_again(
    client, station_a, station_keeper, activity, photo
):
    services.station_activity_set_public(actor=station_keeper, activity=activity, is_public=True)
    services.station_activity_set_public(actor=station_keeper, activity=activity, is_public=True)  # a repeated click
    services.station_activity_set_public(actor=station_keeper, activity=activity, is_public=False)

    photo_url = reverse("public:stations:activity_photo", args=[station_a.public_code, photo.pk])
    assert client.get(photo_url).status_code == 404
    verbs = list(Event.objects.for_object(activity).filter(verb__startswith="made_").values_list("verb", flat=True))
    assert verbs == ["made_public", "made_private"]


def test_the_public_station_page_costs_a_bounded_number_of_queries(
    client, station_a, station_keeper, django_assert_max_num_queries
):
    for index in range(5):
        item = services.station_activity_create(
            actor=station_keeper, station=station_a, kind="go_out", title=f"走访{index}",
            date=datetime.date(2026, 4, index + 1),
        )
        for _ in range(2):
            services.station_activity_add_photo(actor=station_keeper, activity=item, image=_upload())
        services.station_activity_set_public(actor=station_keeper, activity=item, is_public=True)

    with django_assert_max_num_queries(12):
        response = client.get(_public_page(station_a))

    assert response.status_code == 200 and len(response.context["activities"]) == 5
