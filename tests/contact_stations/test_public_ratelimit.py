"""Public forms are rate limited per address (SECURITY S14): over the limit a friendly 429 page,
with Retry-After, and nothing is written."""

import pytest
from django.urls import reverse

from congress import ratelimit
from contact_stations.models import Opinion, SmsCode

pytestmark = pytest.mark.django_db


def _opinion():
    return {"content": "路灯不亮", "category": Opinion.Category.URBAN}


def test_submitting_past_the_limit_gets_429_and_writes_nothing(client, settings, station_a):
    settings.RATELIMITS = {"stations.submit": "2/h"}
    url = reverse("public:stations:submit_station", args=[station_a.public_code])

    statuses = [client.post(url, _opinion()).status_code for _index in range(3)]

    assert statuses == [302, 302, 429]
    assert Opinion.objects.count() == 2


def test_the_429_page_is_friendly_and_says_when_to_retry(client, settings, station_a):
    settings.RATELIMITS = {"stations.submit": "1/h"}
    url = reverse("public:stations:submit_station", args=[station_a.public_code])
    client.post(url, _opinion())

    response = client.post(url, _opinion())

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert [template.name for template in response.templates][0] == ratelimit.TEMPLATE
    assert "public/base.html" in [template.name for template in response.templates]


def test_reading_the_form_is_not_counted(client, settings, station_a):
    settings.RATELIMITS = {"stations.submit": "1/h"}
    url = reverse("public:stations:submit_station", args=[station_a.public_code])

    assert [client.get(url).status_code for _index in range(3)] == [200, 200, 200]


def test_code_requests_past_the_limit_get_429_before_any_sms(client, settings, station_a, sms_outbox):
    settings.RATELIMITS = {"stations.sms_code": "1/h"}
    url = reverse("public:stations:sms_code_station", args=[station_a.public_code])
    client.post(url, {"citizen_phone": "13912345678"})

    response = client.post(url, {"citizen_phone": "13787654321"})

    assert response.status_code == 429 and response.templates[0].name == ratelimit.TEMPLATE
    assert SmsCode.objects.count() == 1


def test_the_limit_is_per_address(client, settings, station_a):
    settings.RATELIMITS = {"stations.submit": "1/h"}
    url = reverse("public:stations:submit_station", args=[station_a.public_code])

    first = client.post(url, _opinion(), REMOTE_ADDR="10.0.0.1")
    other = client.post(url, _opinion(), REMOTE_ADDR="10.0.0.2")
    again = client.post(url, _opinion(), REMOTE_ADDR="10.0.0.1")

    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)


def test_a_window_ends_and_counting_starts_again(db):
    verdicts = [ratelimit.hit("test.window", "key", limit=1, window=60, now=120.0 + offset) for offset in (0, 30, 61)]

    assert [verdict.allowed for verdict in verdicts] == [True, False, True]
    assert verdicts[1].retry_after == 30


def test_rates_are_parsed():
    assert ratelimit.parse_rate("10/h") == (10, 3600)
    assert ratelimit.parse_rate("5/10m") == (5, 600)
    assert ratelimit.parse_rate("3/s") == (3, 1)
