"""Printable documents of supervision: the deliberation opinion letter (审议意见书) sent to the
units, and the notice of a satisfaction vote's result (满意度测评结果通知), as PDF.

Both are drawn from rows that no longer change once the document applies (an approved opinion, a
closed vote), so printing again gives the same document and a GET changes nothing. The font,
styles and page come from `congress.documents`. Word files are not offered: python-docx is not a
dependency of the project.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from congress.documents import font, pdf_bytes, text
from congress.documents import styles as document_styles
from supervision.models import Choice, DeliberationOpinion, SatisfactionVote

CONTENT_TYPE = "application/pdf"


def _issuer(topic) -> str:
    body = topic.plan.body
    return body.standing_organ_name or body.name


def opinion_number(opinion: DeliberationOpinion) -> str:
    return _("Deliberation opinion [%(year)s] no. %(number)s") % {
        "year": opinion.topic.plan.year, "number": opinion.pk,
    }


def _heading(styles, *, issuer: str, title: str, number: str, recipients) -> list:
    """The issuer, the document's title and number, and the units it is addressed to."""
    story = [text(issuer, styles["title"]), text(title, styles["title"]), text(number, styles["number"])]
    if recipients:
        units = "、".join(recipient.unit.name for recipient in recipients)
        story.append(text(_("To: %(unit)s") % {"unit": units}, styles["plain"]))
    return [*story, Spacer(1, 6 * mm)]


def _due(recipients):
    return min((recipient.due_on for recipient in recipients if recipient.due_on), default=None)


def opinion_pdf(opinion: DeliberationOpinion) -> bytes:
    """The opinion letter; `opinion` comes with its topic, plan, body and recipients' units."""
    topic = opinion.topic
    issuer = _issuer(topic)
    styles = document_styles()
    recipients = list(opinion.recipients.all())
    due = _due(recipients)
    story = _heading(styles, issuer=issuer, title=_("Letter of deliberation opinion"), number=opinion_number(opinion),
                     recipients=recipients)
    story += [
        text(_("On the topic “%(topic)s” the standing committee deliberated and gives the following opinion: "
               "%(title)s.") % {"topic": topic.title, "title": opinion.title}, styles["body"]),
    ]
    story += [text(line, styles["body"]) for line in opinion.text.splitlines() if line.strip()]
    if due:
        story.append(text(
            _("Please study and carry out this opinion earnestly and report its implementation in writing to the "
              "standing committee by %(due)s.") % {"due": due.isoformat()}, styles["body"]))
    issued_on = opinion.sent_on or timezone.localtime(opinion.created_at).date()
    story += [Spacer(1, 16 * mm), text(issuer, styles["right"]), text(issued_on.isoformat(), styles["right"])]
    return pdf_bytes(story, title=opinion_number(opinion), author=issuer)


def _counts_table(vote: SatisfactionVote, style) -> Table:
    rows = [
        [_("Members of the standing committee"), vote.members_total],
        [_("Ballots cast"), vote.votes_cast],
        *[[label, vote.count(value)] for value, label in Choice.choices],
    ]
    table = Table([[text(label, style), text(value, style)] for label, value in rows], colWidths=[90 * mm, 40 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font()),
        ("GRID", (0, 0), (-1, -1), 0.5, "#555555"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _rule(vote: SatisfactionVote) -> str:
    base = vote.get_pass_base_display()
    return _("“Satisfied” must exceed %(numerator)s/%(denominator)s of %(base)s") % {
        "numerator": vote.pass_numerator, "denominator": vote.pass_denominator, "base": base,
    }


def vote_number(vote: SatisfactionVote) -> str:
    return _("Satisfaction vote notice [%(year)s] no. %(number)s") % {
        "year": vote.topic.plan.year, "number": vote.pk,
    }


def vote_notice_pdf(vote: SatisfactionVote) -> bytes:
    """The result notice of a closed vote; `vote` comes with its topic, plan, body and opinion
    (whose recipients are prefetched when it has one)."""
    topic = vote.topic
    issuer = _issuer(topic)
    styles = document_styles()
    recipients = list(vote.opinion.recipients.all()) if vote.opinion_id else []
    closed_on = timezone.localtime(vote.closed_at or vote.opened_at).date()
    subject = vote.get_subject_display()
    if vote.opinion_id:
        subject = f"{subject}（{vote.opinion.title}）"
    outcome = _("passed") if vote.passed else _("not passed")
    story = _heading(styles, issuer=issuer, title=_("Notice of the satisfaction vote result"),
                     number=vote_number(vote), recipients=recipients)
    story += [
        text(_("On %(day)s the members of the standing committee voted on their satisfaction with %(subject)s "
               "on the topic “%(topic)s”, round %(round)s%(dimension)s. The result is as follows.") % {
            "day": closed_on.isoformat(), "subject": subject, "topic": topic.title, "round": vote.round,
            "dimension": f"（{vote.dimension}）" if vote.dimension else "",
        }, styles["body"]),
        _counts_table(vote, styles["plain"]),
        Spacer(1, 4 * mm),
        text(_("Pass rule: %(rule)s. The vote was %(outcome)s.") % {"rule": _rule(vote), "outcome": outcome},
             styles["body"]),
    ]
    # The units' due dates are those of the round this failure opened, while it is still current.
    if not vote.passed and vote.opinion_id and vote.opinion.round == vote.round + 1:
        due = _due(recipients)
        story.append(text(
            _("Please rectify in earnest and report the rectification to the standing committee again by %(due)s.")
            % {"due": due.isoformat() if due else "—"}, styles["body"]))
    story += [Spacer(1, 16 * mm), text(issuer, styles["right"]), text(closed_on.isoformat(), styles["right"])]
    return pdf_bytes(story, title=vote_number(vote), author=issuer)


def filename(prefix: str, pk: int) -> str:
    return f"{prefix}-{pk}.pdf"
