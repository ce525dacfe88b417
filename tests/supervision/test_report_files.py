"""Units' report files are served only through permission-checked views, never from MEDIA_URL (S16)."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress import uploads
from congress.models.accounts import Role
from supervision import services
from tests.factories.congress import UnitFactory, user_with_role

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
DOCX = b"PK\x03\x04" + b"\0" * 60


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def unit_report(topic, unit_officer, health_bureau):
    return services.unit_report_submit(
        actor=unit_officer, topic=topic, unit=health_bureau, title="专项工作报告",
        upload=SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def report_with_docx(sent_opinion, unit_officer, health_bureau):
    return services.implementation_report_submit(
        actor=unit_officer, opinion=sent_opinion, unit=health_bureau, text="已完成整改。",
        upload=SimpleUploadedFile("整改.docx", DOCX),
    )


def _file_url(report):
    return reverse("console:supervision:unit_report_file", args=[report.pk])


def _assert_safe(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    # A download or image is sandboxed; an inline PDF keeps the page policy (no script, no plugin).
    assert "sandbox" in policy or ("object-src 'none'" in policy and "unsafe-inline" not in policy)
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]


def test_the_topic_page_links_the_unit_report_through_the_checked_view(client, login, staff_clerk, unit_report):
    login(client, staff_clerk)
    page = client.get(reverse("console:supervision:topic_detail", args=[unit_report.topic_id])).content.decode()
    assert _file_url(unit_report) in page
    assert "/media/" not in page


@pytest.mark.parametrize("persona", ["staff_clerk", "unit_officer", "auditor"])
def test_readers_of_the_topic_get_the_unit_report_pdf_inline_with_safe_headers(client, login, request, persona,
                                                                               unit_report):
    login(client, request.getfixturevalue(persona))
    response = client.get(_file_url(unit_report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF
    _assert_safe(response)


def test_another_units_officer_gets_404_and_a_deputy_403(client, login, unit_report, district, deputy_user):
    other = user_with_role(Role.UNIT_OFFICER, username="traffic", unit=UnitFactory(region=district, name="交通局"))
    login(client, other)
    assert client.get(_file_url(unit_report)).status_code == 404
    client.logout()
    login(client, deputy_user)
    assert client.get(_file_url(unit_report)).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client, unit_report):
    response = client.get(_file_url(unit_report))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_stored_path_under_media_url_is_not_served(client, login, staff_clerk, unit_report, settings):
    login(client, staff_clerk)
    assert client.get(settings.MEDIA_URL + unit_report.file.name).status_code == 404


def test_an_implementation_report_in_word_is_a_download_to_those_who_see_the_opinion(
    client, login, staff_clerk, report_with_docx, district
):
    url = reverse("console:supervision:implementation_report_file", args=[report_with_docx.pk])
    login(client, staff_clerk)
    page = client.get(reverse("console:supervision:topic_detail", args=[report_with_docx.opinion.topic_id]))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    _assert_safe(response)
    client.logout()
    login(client, user_with_role(Role.UNIT_OFFICER, username="traffic", unit=UnitFactory(region=district,
                                                                                         name="交通局")))
    assert client.get(url).status_code == 404


def _upload(client, topic, unit, upload):
    response = client.post(reverse("console:supervision:topic_unit_report", args=[topic.pk]),
                           {"unit": unit.pk, "title": "报告", "file": upload})
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_html_page_renamed_or_not_is_refused_with_a_chinese_message(client, login, unit_officer, topic,
                                                                      health_bureau):
    login(client, unit_officer)
    page = b"<html><script>alert(1)</script></html>"
    assert "不接受此类型的文件。" in _upload(client, topic, health_bureau, SimpleUploadedFile("r.html", page))
    assert "文件内容与其类型不符。" in _upload(client, topic, health_bureau, SimpleUploadedFile("r.pdf", page))
    assert not topic.unit_reports.exists()


def test_an_oversized_report_is_refused_with_a_chinese_message(client, login, unit_officer, topic, health_bureau,
                                                              monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", len(PDF) - 1)
    login(client, unit_officer)
    assert "文件超过 20 MB。" in _upload(client, topic, health_bureau, SimpleUploadedFile("r.pdf", PDF))
    assert not topic.unit_reports.exists()
