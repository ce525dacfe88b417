"""TOTP second factor for office staff, administrators and auditors (SECURITY S8)."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congress import two_factor
from congress.models import BackupCode, Event

pytestmark = pytest.mark.django_db

SETUP, VERIFY = reverse("accounts:otp_setup"), reverse("accounts:otp_verify")
CONSOLE = reverse("console:units")


@pytest.fixture(autouse=True)
def required(settings):
    settings.OTP_REQUIRED = True


def code_for(device, *, step_offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=step_offset):06d}"


def enrol(client):
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    return device, response


def test_staff_are_sent_to_enrolment_before_anything_else(client, login, staff_clerk):
    login(client, staff_clerk)

    response = client.get(CONSOLE)

    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "两步" in page
    # The page's CSP forbids inline styles: the QR code must carry its colours as attributes.
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "style=" not in svg and 'fill="#000"' in svg


def test_enrolment_confirms_the_device_verifies_the_session_and_shows_hashed_backup_codes(client, login, staff_clerk):
    login(client, staff_clerk)

    device, response = enrol(client)

    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.content.decode())
    assert len(codes) == two_factor.BACKUP_CODE_COUNT
    stored = set(BackupCode.objects.filter(user=staff_clerk).values_list("code_digest", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in digest for code in codes for digest in stored)
    assert client.get(CONSOLE).status_code == 200
    assert Event.objects.for_object(staff_clerk).filter(verb="second_factor_enrolled").exists()


def test_a_wrong_enrolment_code_is_refused_with_a_message(client, login, staff_clerk):
    login(client, staff_clerk)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200 and "不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff_clerk, confirmed=True).exists()
    assert client.get(CONSOLE).status_code == 302


def test_a_later_login_asks_for_a_code_and_a_code_works_only_once(client, login, staff_clerk):
    login(client, staff_clerk)
    device, _ = enrol(client)
    client.logout()
    login(client, staff_clerk)

    assert client.get(CONSOLE)["Location"].startswith(VERIFY)
    # The enrolment code's time step was used; the next step's code is accepted once.
    device.refresh_from_db()
    fresh = code_for(device, step_offset=1)
    assert client.post(VERIFY, {"code": fresh, "next": CONSOLE})["Location"] == CONSOLE
    assert client.get(CONSOLE).status_code == 200

    client.logout()
    login(client, staff_clerk)
    response = client.post(VERIFY, {"code": fresh})
    assert response.status_code == 200 and "已使用" in response.content.decode()


def test_someone_with_only_the_password_cannot_enrol_a_new_device(client, login, staff_clerk):
    login(client, staff_clerk)
    enrol(client)
    client.logout()
    login(client, staff_clerk)

    assert client.get(SETUP)["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=staff_clerk).count() == 1


def test_a_backup_code_stands_in_once(client, login, staff_clerk):
    login(client, staff_clerk)
    _, response = enrol(client)
    code = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.content.decode())[0]
    for attempt in range(2):
        client.logout()
        login(client, staff_clerk)
        response = client.post(VERIFY, {"code": code.upper()})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get(CONSOLE).status_code == 200
        else:
            assert response.status_code == 200
    assert BackupCode.objects.filter(user=staff_clerk, used_at__isnull=False).count() == 1


def test_deputies_and_unit_officers_log_in_without_a_second_factor(client, login, deputy_user, unit_officer):
    assert not two_factor.requires_second_factor(deputy_user)
    assert not two_factor.requires_second_factor(unit_officer)
    login(client, deputy_user)
    assert client.get(reverse("portal:home")).status_code == 200


def test_auditors_and_system_administrators_need_it(auditor, system_admin, staff_admin):
    assert all(two_factor.requires_second_factor(user) for user in (auditor, system_admin, staff_admin))


def test_off_when_the_setting_is_off(settings, client, login, staff_clerk):
    settings.OTP_REQUIRED = False
    login(client, staff_clerk)
    assert client.get(CONSOLE).status_code == 200


def test_reset_by_an_administrator_lets_the_user_enrol_again(client, login, staff_clerk, system_admin):
    login(client, staff_clerk)
    enrol(client)
    two_factor.second_factor_reset(actor=system_admin, user=staff_clerk)
    assert not TOTPDevice.objects.filter(user=staff_clerk).exists()
    assert not BackupCode.objects.filter(user=staff_clerk).exists()
    client.logout()
    login(client, staff_clerk)
    assert client.get(CONSOLE)["Location"].startswith(SETUP)


def test_guessing_codes_is_rate_limited(client, login, staff_clerk):
    login(client, staff_clerk)
    enrol(client)
    client.logout()
    login(client, staff_clerk)
    statuses = [client.post(VERIFY, {"code": f"{n:06d}"}).status_code for n in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429


def test_an_administrator_resets_a_colleagues_second_factor_from_the_console(client, login, staff_clerk, staff_admin):
    TOTPDevice.objects.create(user=staff_clerk, name="TOTP", confirmed=True)
    admin_device = TOTPDevice.objects.create(user=staff_admin, name="TOTP", confirmed=True)
    login(client, staff_admin)
    client.post(VERIFY, {"code": code_for(admin_device)})

    response = client.post(reverse("console:user_second_factor_reset", args=[staff_clerk.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_clerk).exists()
    assert Event.objects.for_object(staff_clerk).filter(verb="second_factor_reset", actor=staff_admin).exists()
    assert two_factor.requires_second_factor(staff_clerk)
