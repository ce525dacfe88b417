"""A proposal's attachments reach only its own deputies, as downloads the browser will not render (S16)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import services

PDF = b"%PDF-1.4 test"


def _attachment(flow):
    proposal = flow.filed(co_signers=[])
    return services.attachment_add(actor=flow.deputy_user, proposal=proposal,
                                   upload=SimpleUploadedFile("现场说明.pdf", PDF, content_type="application/pdf"))


def test_the_filing_deputy_downloads_the_attachment_with_safe_headers(client, login, flow):
    attachment = _attachment(flow)
    login(client, flow.deputy_user)
    response = client.get(reverse("portal:suggestions:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_another_deputy_gets_404_staff_403_and_anonymous_the_login_page(client, login, flow, co_deputy_user,
                                                                         staff_clerk):
    url = reverse("portal:suggestions:attachment", args=[_attachment(flow).pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, co_deputy_user)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, staff_clerk)
    assert client.get(url).status_code == 403
