"""Printable documents of the suggestions office: the urging letter (督办函) as PDF.

A letter is drawn from an urging event already on the assignment's timeline (the `urged` event
`services.assignment_urge` writes), so printing it again gives the same letter and a GET never
changes anything. The font, styles and page come from `congress.documents`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from congress.documents import pdf_bytes, text
from congress.documents import styles as document_styles
from congress.models import Event
from suggestions.models import Assignment


def letter_number(event: Event) -> str:
    return _("Urging letter [%(year)s] no. %(number)s") % {
        "year": timezone.localtime(event.created_at).year, "number": event.pk
    }


def urging_letter_pdf(assignment: Assignment, event: Event) -> bytes:
    """The urging letter for one `urged` event of `assignment`, as PDF bytes."""
    proposal = assignment.proposal
    body = proposal.body
    issuer = body.standing_organ_name or body.name
    styles = document_styles()
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
        text(issuer, styles["title"]),
        text(_("Urging letter"), styles["title"]),
        text(letter_number(event), styles["number"]),
        text(_("To: %(unit)s") % {"unit": assignment.unit.name}, styles["plain"]),
        Spacer(1, 6 * mm),
        text(facts, styles["body"]),
    ]
    if event.note:
        story.append(text(event.note, styles["body"]))
    story += [
        text(request, styles["body"]),
        Spacer(1, 16 * mm),
        text(issuer, styles["right"]),
        text(timezone.localtime(event.created_at).date().isoformat(), styles["right"]),
    ]
    return pdf_bytes(story, title=letter_number(event), author=issuer)


def urging_letter_filename(event: Event) -> str:
    return f"urging-letter-{event.pk}.pdf"
