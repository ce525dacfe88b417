"""Building blocks every app's printable documents share: the Chinese font, the paragraph styles
of an official document, escaped paragraphs, and an A4 PDF built in memory.

The PDFs use reportlab's built-in CID font STSong-Light, which every PDF reader carries, so no
font file is shipped or embedded.
"""

import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONT = "STSong-Light"
_registered = False


def font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font(), fontSize=12, leading=20, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=4),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, spaceAfter=12),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, spaceAfter=6),
        "plain": base,
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def text(value, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup escaped, line breaks kept."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def pdf_bytes(story, *, title: str, author: str) -> bytes:
    """An A4 PDF of `story` with the margins of an official document."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm, bottomMargin=25 * mm,
        title=title, author=author,
    )
    document.build(story)
    return buffer.getvalue()
