"""congress.uploads: files are judged by their bytes and size on the way in, and go out only as
responses a browser will not run (SECURITY S16); MEDIA_URL serves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation

from congress import images, uploads
from supervision.models import UnitReport

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _messages(validator, upload) -> list[str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validator(upload)
    return refused.value.messages


@pytest.mark.parametrize("name", ["page.html", "page.pdf", "drawing.svg", "photo.png"])
def test_an_html_or_svg_upload_is_refused_whatever_its_name(name):
    for body in (HTML, SVG):
        upload = SimpleUploadedFile(name, body)
        assert _messages(uploads.validate_document, upload) == ["请上传 PDF 文件或图片。"]
        assert _messages(images.validate_photo, upload) == ["请上传 JPEG、PNG 或 WebP 格式的照片。"]
        assert _messages(uploads.validate_upload, upload)[0] in ("不接受此类型的文件。", "文件内容与其类型不符。")


def test_an_oversized_upload_is_refused_with_a_chinese_message(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", len(PNG) - 1)
    monkeypatch.setattr(images, "MAX_PHOTO_BYTES", len(PNG) - 1)
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", len(PNG) - 1)
    assert _messages(uploads.validate_document, SimpleUploadedFile("a.png", PNG)) == ["文件超过 10 MB。"]
    assert _messages(images.validate_photo, SimpleUploadedFile("a.png", PNG)) == ["照片超过 5 MB。"]
    assert _messages(uploads.validate_upload, SimpleUploadedFile("a.png", PNG)) == ["文件超过 20 MB。"]


def _stored(name, body) -> UnitReport:
    report = UnitReport(title="x")
    report.file.save(name, ContentFile(body), save=False)
    return report


@pytest.mark.parametrize(("name", "body"), [("page.html", HTML), ("drawing.svg", SVG), ("page.pdf", HTML)])
def test_a_stored_html_or_svg_file_goes_out_as_an_inert_download(name, body):
    response = uploads.serve_upload(_stored(name, body).file, inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_only_a_recognised_image_is_served_inline_and_images_only_refuses_the_rest():
    response = uploads.serve_upload(_stored("photo.png", PNG).file, inline=True, images_only=True)
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")
    with pytest.raises(Http404):
        uploads.serve_upload(_stored("photo.png", HTML).file, inline=True, images_only=True)
    with pytest.raises(Http404):
        uploads.serve_upload(UnitReport(title="no file").file)


def test_no_url_serves_media_not_even_in_debug(client, settings, db):
    settings.DEBUG = True
    report = _stored("report.pdf", b"%PDF-1.4")
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + report.file.name)
    assert client.get(settings.MEDIA_URL + report.file.name).status_code == 404
