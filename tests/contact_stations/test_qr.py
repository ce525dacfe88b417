"""Printable QR contact cards: a valid PDF, A6 or A4, carrying only the public URL (SECURITY S14)."""

import base64
import re
import zlib

import pytest
from django.urls import reverse

from congress.qr import qr_drawing
from contact_stations import qr

pytestmark = pytest.mark.django_db

A6_BOX = b"/MediaBox [ 0 0 297.6378 419.5276 ]"
A4_BOX = b"/MediaBox [ 0 0 595.2756 841.8898 ]"
LITERAL = re.compile(rb"\((?P<text>(?:\\.|[^\\)])*)\) Tj")
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(raw: bytes) -> bytes:
    def replace(match):
        token = match.group(1)
        if token[:1].isdigit():
            return bytes([int(token, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(token, token)

    return ESCAPE.sub(replace, raw)


def pdf_text(content: bytes) -> str:
    """The text drawn on the page: Helvetica strings as Latin-1, the CJK font's as UCS-2."""
    lines = []
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = zlib.decompress(base64.a85decode(stream.group(1).strip(), adobe=True))
        font = b""
        for line in data.split(b"\n"):
            fonts = re.findall(rb"/(F\d+) [\d.]+ Tf", line)
            font = fonts[-1] if fonts else font
            for match in LITERAL.finditer(line):
                raw = _unescape(match.group("text"))
                lines.append(raw.decode("utf-16-be") if font == b"F2" else raw.decode("latin-1"))
    return "\n".join(lines)


def test_the_card_function_draws_the_url_and_the_qr_code_of_it_alone():
    url = "https://tx.example.cn/stations/s/abcDEF123/"

    content = qr.card_pdf(title="西山社区代表联络站", subtitle="扫码留言", url=url)

    assert content.startswith(b"%PDF-") and A6_BOX in content
    text = pdf_text(content)
    assert url in text and "西山社区代表联络站" in text
    drawing = qr_drawing(url, 100)
    assert [widget.value for widget in drawing.contents] == [url]


def test_keeper_prints_an_a6_station_card_with_only_the_public_url(
    client, login, station_keeper, station_a, stationed_deputy
):
    login(client, station_keeper)

    response = client.get(reverse("console:stations:station_card", args=[station_a.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and A6_BOX in response.content
    text = pdf_text(response.content)
    public_url = "http://testserver" + reverse("public:stations:station", args=[station_a.public_code])
    urls = re.findall(r"https?://\S+", text)
    assert urls == [public_url]
    assert station_a.name in text
    assert stationed_deputy.phone not in text and stationed_deputy.id_number not in text
    assert not re.search(r"\d{11}", text)  # no phone number, no ID number


def test_a4_poster_and_site_url(client, login, settings, staff_admin, station_a):
    settings.SITE_URL = "https://tongxin.example.gov.cn/"
    login(client, staff_admin)

    response = client.get(reverse("console:stations:station_card", args=[station_a.pk]), {"size": "a4"})

    assert response.status_code == 200 and A4_BOX in response.content
    expected = "https://tongxin.example.gov.cn" + reverse("public:stations:station", args=[station_a.public_code])
    assert re.findall(r"https?://\S+", pdf_text(response.content)) == [expected]


def test_deputy_card_carries_the_deputy_card_url_and_no_private_data(client, login, staff_admin, stationed_deputy):
    login(client, staff_admin)

    response = client.get(reverse("console:stations:deputy_card", args=[stationed_deputy.pk]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert re.findall(r"https?://\S+", text) == [
        "http://testserver" + reverse("public:stations:deputy", args=[stationed_deputy.public_code])
    ]
    assert stationed_deputy.name in text
    assert f"/deputy/{stationed_deputy.pk}/" not in text  # the code, never the primary key (S14)
    assert stationed_deputy.phone not in text and stationed_deputy.id_number not in text


def test_cards_outside_the_users_scope_are_404(client, login, township_officer_b, station_a, stationed_deputy):
    login(client, township_officer_b)

    assert client.get(reverse("console:stations:station_card", args=[station_a.pk])).status_code == 404
    assert client.get(reverse("console:stations:deputy_card", args=[stationed_deputy.pk])).status_code == 404


def test_township_officer_prints_cards_of_their_own_stations_deputies(
    client, login, township_officer_a, stationed_deputy
):
    login(client, township_officer_a)

    assert client.get(reverse("console:stations:deputy_card", args=[stationed_deputy.pk])).status_code == 200


def test_cards_need_a_console_login(client, login, deputy_user, station_a):
    anonymous = client.get(reverse("console:stations:station_card", args=[station_a.pk]))
    login(client, deputy_user)
    deputy_only = client.get(reverse("console:stations:station_card", args=[station_a.pk]))

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert deputy_only.status_code == 403
