"""Printable documents of the suggestions office: the urging letter (督办函) as PDF.

A letter is drawn from an urging event already on the assignment's timeline (the `urged` event
`services.assignment_urge` writes), so printing it again gives the same letter and a GET never
changes anything. The PDF uses reportlab's built-in CID font STSong-Light, which every PDF
reader carries, so no font file is shipped or embedded.
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from congress.models import Event
from suggestions.models import Assignment

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=4),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, spaceAfter=12),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, spaceAfter=6),
        "plain": base,
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def letter_number(event: Event) -> str:
    return _("Urging letter [%(year)s] no. %(number)s") % {
        "year": timezone.localtime(event.created_at).year, "number": event.pk
    }


def urging_letter_pdf(assignment: Assignment, event: Event) -> bytes:
    """The urging letter for one `urged` event of `assignment`, as PDF bytes."""
    proposal = assignment.proposal
    body = proposal.body
    issuer = body.standing_organ_name or body.name
    styles = _styles()
    due = assignment.reply_due if assignment.answers else assignment.co_opinion_due
    facts = _(
        "Proposal no. %(number)s “%(title)s”, led by deputy %(deputy)s, was assigned to your unit on "
        "%(assigned)s as %(role)s. The reply is due on %(due)s."
    ) % {
        "number": proposal.number or "—",
        "title": proposal.title,
        "deputy": proposal.lead_deputy.name,
        "assigned": assignment.assigned_on.isoformat(),
        "role": assignment.get_role_display(),
        "due": due.isoformat() if due else "—",
    }
    request = _(
        "Please contact the deputy in person, handle the matter earnestly and reply in writing before the due "
        "date, and report the progress to this office."
    )
    story = [
        Paragraph(escape(issuer), styles["title"]),
        Paragraph(escape(_("Urging letter")), styles["title"]),
        Paragraph(escape(letter_number(event)), styles["number"]),
        Paragraph(escape(_("To: %(unit)s") % {"unit": assignment.unit.name}), styles["plain"]),
        Spacer(1, 6 * mm),
        Paragraph(escape(facts), styles["body"]),
    ]
    if event.note:
        story.append(Paragraph(escape(event.note).replace("\n", "<br/>"), styles["body"]))
    story += [
        Paragraph(escape(request), styles["body"]),
        Spacer(1, 16 * mm),
        Paragraph(escape(issuer), styles["right"]),
        Paragraph(escape(timezone.localtime(event.created_at).date().isoformat()), styles["right"]),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm, bottomMargin=25 * mm,
        title=letter_number(event), author=issuer,
    )
    document.build(story)
    return buffer.getvalue()


def urging_letter_filename(event: Event) -> str:
    return f"urging-letter-{event.pk}.pdf"
