"""Printable QR contact cards (PDF): an A6 card for the desk and an A4 poster for the wall.

The QR code carries only the public URL (a station's public-code page or a deputy's card page),
and the printed text only public facts: the name, what to do, the URL (SECURITY S14). Chinese is
set in reportlab's built-in CID font STSong-Light, which needs no font file on the machine; the
QR code is reportlab's own widget, so no image library is involved.
"""

import io

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from congress.qr import qr_drawing

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
RED = HexColor("#b71c1c")
SIZES = {"a6": A6, "a4": A4}

pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines that fit `width`, character by character (Chinese has no spaces)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, font, size) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def card_pdf(*, title: str, subtitle: str, url: str, size: str = "a6") -> bytes:
    """One page: a red band with the title, the QR code of `url`, what to do, and the URL itself."""
    width, height = SIZES[size]
    scale = width / A6[0]
    margin = 8 * mm * scale
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True)
    pdf.setTitle(title)
    pdf.setAuthor("同心")
    pdf.setSubject(url)

    band = 24 * mm * scale
    pdf.setFillColor(RED)
    pdf.rect(0, height - band, width, band, stroke=0, fill=1)
    pdf.setFillColor(white)
    title_size = 15 * scale
    title_lines = _wrap(title, CJK_FONT, title_size, width - 2 * margin)[:2]
    y = height - band / 2 + (len(title_lines) - 1) * title_size * 0.6 - title_size * 0.35
    for line in title_lines:
        pdf.setFont(CJK_FONT, title_size)
        pdf.drawCentredString(width / 2, y, line)
        y -= title_size * 1.2

    pdf.setFillColor(HexColor("#212529"))
    subtitle_size = 10 * scale
    y = height - band - 8 * mm * scale
    for line in _wrap(subtitle, CJK_FONT, subtitle_size, width - 2 * margin)[:3]:
        pdf.setFont(CJK_FONT, subtitle_size)
        pdf.drawCentredString(width / 2, y, line)
        y -= subtitle_size * 1.4

    side = min(width - 2 * margin, y - 22 * mm * scale)
    renderPDF.draw(qr_drawing(url, side), pdf, (width - side) / 2, y - side - 2 * mm * scale)

    hint_size = 8 * scale
    y = y - side - 8 * mm * scale
    pdf.setFont(CJK_FONT, hint_size)
    pdf.drawCentredString(width / 2, y, _("Scan with your phone camera or WeChat"))
    url_size = 7 * scale
    pdf.setFont(LATIN_FONT, url_size)
    for line in _wrap(url, LATIN_FONT, url_size, width - 2 * margin)[:2]:
        y -= url_size * 1.6
        pdf.drawCentredString(width / 2, y, line)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
