"""SMS verification codes: rate limits per phone and per address, expiry, attempts."""

import datetime

import pytest
from django.utils import timezone

from contact_stations import services
from contact_stations.models import Opinion, SmsCode
from contact_stations.services.sms_codes import SmsCodeRejected, SmsRateLimited
from tests.contact_stations.conftest import CITIZEN_PHONE, OTHER_PHONE

START = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 0))


def at(seconds):
    return START + datetime.timedelta(seconds=seconds)


def test_one_code_a_minute_per_phone(db, request_sms_code, sms_outbox):
    request_sms_code(CITIZEN_PHONE, now=at(0))
    with pytest.raises(SmsRateLimited) as error:
        services.sms_code_request(phone=CITIZEN_PHONE, ip="10.0.0.2", now=at(30))
    assert error.value.status == 429 and 0 < error.value.params["retry_after"] <= 31
    request_sms_code(CITIZEN_PHONE, now=at(61))
    assert len(sms_outbox) == 2


def test_at_most_five_codes_an_hour_per_phone(db, request_sms_code):
    for index in range(5):
        request_sms_code(CITIZEN_PHONE, ip=f"10.0.0.{index}", now=at(index * 120))
    with pytest.raises(SmsRateLimited):
        services.sms_code_request(phone=CITIZEN_PHONE, ip="10.0.1.1", now=at(5 * 120))
    # An hour after the first one, a slot frees up.
    request_sms_code(CITIZEN_PHONE, ip="10.0.1.1", now=at(3601))


def test_at_most_five_codes_an_hour_per_address(db, request_sms_code):
    for index in range(5):
        request_sms_code(f"1390000000{index}", ip="10.9.9.9", now=at(index))
    with pytest.raises(SmsRateLimited):
        services.sms_code_request(phone=OTHER_PHONE, ip="10.9.9.9", now=at(10))


def test_the_table_holds_no_phone_address_or_code(db, request_sms_code):
    code = request_sms_code(CITIZEN_PHONE, ip="10.0.0.1", now=at(0))
    row = SmsCode.objects.get()
    stored = " ".join(str(value) for value in SmsCode.objects.values().get().values())
    assert CITIZEN_PHONE not in stored and "10.0.0.1" not in stored and code not in row.code_hash


def test_code_expires_after_ten_minutes(db, request_sms_code):
    code = request_sms_code(CITIZEN_PHONE, now=at(0))
    with pytest.raises(SmsCodeRejected):
        services.sms_code_verify(phone=CITIZEN_PHONE, code=code, now=at(601))


def test_code_is_single_use(db, request_sms_code):
    code = request_sms_code(CITIZEN_PHONE, now=at(0))
    services.sms_code_verify(phone=CITIZEN_PHONE, code=code, now=at(30))
    with pytest.raises(SmsCodeRejected):
        services.sms_code_verify(phone=CITIZEN_PHONE, code=code, now=at(40))


def test_five_wrong_guesses_burn_the_code_even_though_the_submission_fails(station_a, request_sms_code):
    code = request_sms_code(CITIZEN_PHONE, now=at(0))
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(5):
        with pytest.raises(SmsCodeRejected):
            services.opinion_submit(
                station=station_a, content="路灯不亮", citizen_phone=CITIZEN_PHONE, consent=True, sms_code=wrong,
                now=at(30),
            )
    assert SmsCode.objects.get().attempts == 5
    with pytest.raises(SmsCodeRejected):
        services.sms_code_verify(phone=CITIZEN_PHONE, code=code, now=at(40))
    assert not Opinion.objects.exists()


def test_a_code_for_another_phone_does_not_verify(db, request_sms_code):
    code = request_sms_code(CITIZEN_PHONE, now=at(0))
    with pytest.raises(SmsCodeRejected):
        services.sms_code_verify(phone=OTHER_PHONE, code=code, now=at(10))


def test_purge_removes_old_codes(db, request_sms_code):
    request_sms_code(CITIZEN_PHONE, now=at(0))
    assert services.sms_codes_purge(now=at(86401)) == 1
