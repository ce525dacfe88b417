"""Deputies' files (voter-report attachments, photos, roster exports) are served only through
permission-checked views, with headers that keep a browser from running them (SECURITY S16)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress import uploads
from deputies import services
from deputies.models import VoterReport

DAY = datetime.date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(staff_clerk, deputy):
    return services.voter_report_plan(actor=staff_clerk, deputy=deputy, scheduled_on=DAY, place="站")


def _hold(client, report, attachment):
    return client.post(reverse("console:deputies:voter_report_meeting", args=[report.pk]), {
        "held_on": DAY.isoformat(), "representatives_present": 55, "report_text": "述职报告", "attachment": attachment,
    })


def _assert_safe(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    # A download or image is sandboxed; an inline PDF keeps the page policy (no script, no plugin).
    assert "sandbox" in policy or ("object-src 'none'" in policy and "unsafe-inline" not in policy)


def test_staff_read_the_voter_report_attachment_inline_as_a_pdf(client, login, staff_clerk, report):
    login(client, staff_clerk)
    _hold(client, report, SimpleUploadedFile("述职.pdf", PDF, content_type="application/pdf"))
    url = reverse("console:deputies:voter_report_attachment", args=[report.pk])
    assert url in client.get(reverse("console:deputies:voter_report_detail", args=[report.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF
    _assert_safe(response)


def test_the_attachment_is_404_to_another_congress_403_to_a_deputy_and_a_login_to_anonymous(
    client, login, staff_clerk, report, township_officer_a, deputy_user
):
    login(client, staff_clerk)
    _hold(client, report, SimpleUploadedFile("述职.pdf", PDF))
    client.logout()
    url = reverse("console:deputies:voter_report_attachment", args=[report.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, township_officer_a)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, deputy_user)
    assert client.get(url).status_code == 403


def test_an_html_attachment_is_refused_with_a_chinese_message_and_the_meeting_not_recorded(
    client, login, staff_clerk, report
):
    login(client, staff_clerk)
    response = _hold(client, report, SimpleUploadedFile("述职.pdf", b"<html><script>alert(1)</script></html>"))
    assert response.status_code == 400
    assert response.context["meeting_form"].errors["attachment"] == ["请上传 PDF 文件或图片。"]
    report.refresh_from_db()
    assert report.state == VoterReport.State.PLANNED and not report.attachment


def test_an_oversized_attachment_is_refused_with_a_chinese_message(client, login, staff_clerk, report, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", len(PDF) - 1)
    login(client, staff_clerk)
    response = _hold(client, report, SimpleUploadedFile("述职.pdf", PDF))
    assert response.context["meeting_form"].errors["attachment"] == ["文件超过 10 MB。"]
    report.refresh_from_db()
    assert not report.attachment


def test_the_deputy_sees_their_own_photo_as_an_image_and_anonymous_gets_the_login_page(client, login, deputy):
    services.deputy_profile_update(actor=deputy.user, deputy=deputy,
                                   photo=SimpleUploadedFile("me.jpg", JPEG, content_type="image/jpeg"))
    url = reverse("portal:deputies:own_photo") + f"?mandate={deputy.pk}"
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, deputy.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and response["Content-Disposition"].startswith("inline")
    _assert_safe(response)
