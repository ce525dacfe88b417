"""Writes of reports to voters (述职评议): plan, hold the meeting, questions, the satisfaction
ballot (single-use links and paper tallies), closing it, and the rectification plan it may require.

A ballot link is a random token of which only the SHA-256 digest is stored. A vote claims its
slip with one conditional UPDATE (`choice` still empty), so two phones submitting the same link
at the same moment record one vote, and the loser is told the slip was used.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.notifications.services import notify
from congress.rules import rules_for
from congress.workflow import IllegalTransition, WorkflowError, record_event, transition
from deputies import permissions
from deputies.models import (
    ActivityKind,
    BallotSlip,
    Deputy,
    PaperTally,
    Satisfaction,
    VoterReport,
    VoterReportQuestion,
)
from deputies.selectors_voter_reports import voter_report_tally
from deputies.services.activities import _staff_recipients, record_duty_activity

State = VoterReport.State

# Calendar days the deputy has to write a rectification plan after a failed ballot, and the days
# before that due date when the reminder goes out.
RECTIFICATION_PLAN_DAYS = 30
RECTIFICATION_REMIND_DAYS_BEFORE = 7
# Slips printed in one go; more can be generated later (serial numbers continue).
MAX_SLIPS_PER_BATCH = 1000


class BallotError(WorkflowError):
    """A refused vote; `code` is stable, the public page shows the message."""


class BallotUnknown(BallotError):
    code = "ballot_unknown"
    status = 404
    default_message = gettext_lazy("This ballot link is not valid.")


class BallotUsed(BallotError):
    code = "ballot_used"
    default_message = gettext_lazy("This ballot link has already been used to vote.")


class BallotClosed(BallotError):
    code = "ballot_closed"
    default_message = gettext_lazy("Voting on this report is not open.")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _manage_allowed(actor, report) -> bool:
    return permissions.can_manage_voter_reports(actor, report.body)


def _check_manage(actor, report_or_body) -> None:
    body = getattr(report_or_body, "body", report_or_body)
    if not permissions.can_manage_voter_reports(actor, body):
        raise PermissionDenied


def _locked(report: VoterReport, *states) -> VoterReport:
    locked = VoterReport.objects.select_for_update().select_related("body__region", "deputy").get(pk=report.pk)
    if states and locked.state not in states:
        raise IllegalTransition(from_state=locked.state)
    return locked


# ---- plan ------------------------------------------------------------------------------------


@transaction.atomic
def voter_report_plan(*, actor, deputy: Deputy, scheduled_on: datetime.date, place: str, region=None) -> VoterReport:
    """Schedule a serving deputy's report to voters in the deputy's current term."""
    _check_manage(actor, deputy.body)
    if not deputy.is_serving:
        raise ValidationError({"deputy": _("Only a serving deputy reports to the voters.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the meeting is held.")})
    if region is not None and not region.path.startswith(deputy.body.region.path):
        raise ValidationError({"region": _("The region lies outside this congress's area.")})
    report = VoterReport.objects.create(
        body=deputy.body, term=deputy.term, deputy=deputy, scheduled_on=scheduled_on, place=place.strip(),
        region=region, created_by=actor,
    )
    record_event(report, actor=actor, verb="planned", to_state=report.state, data={"date": scheduled_on.isoformat()})
    return report


@transaction.atomic
def voter_report_reschedule(
    *, actor, report: VoterReport, scheduled_on: datetime.date, place: str, region=None
) -> VoterReport:
    report = _locked(report, State.PLANNED)
    _check_manage(actor, report)
    if not place.strip():
        raise ValidationError({"place": _("Say where the meeting is held.")})
    before = report.scheduled_on
    VoterReport.objects.filter(pk=report.pk).update(
        scheduled_on=scheduled_on, place=place.strip(), region=region, updated_at=timezone.now()
    )
    report.scheduled_on, report.place, report.region = scheduled_on, place.strip(), region
    record_event(
        report, actor=actor, verb="rescheduled", data={"from": before.isoformat(), "to": scheduled_on.isoformat()}
    )
    return report


def voter_report_cancel(*, actor, report: VoterReport, reason: str) -> VoterReport:
    if not reason.strip():
        raise ValidationError({"reason": _("A reason is required.")})
    return transition(
        report, to=State.CANCELLED, actor=actor, verb="cancelled", note=reason, allowed=_manage_allowed,
        expected=State.PLANNED,
    )


# ---- the meeting -----------------------------------------------------------------------------


@transaction.atomic
def voter_report_record_meeting(
    *,
    actor,
    report: VoterReport,
    held_on: datetime.date,
    representatives_present: int,
    report_text: str,
    attachment=None,
) -> VoterReport:
    """Record that the meeting was held; this opens the ballot and counts as the deputy's duty.

    The meeting counts only before at least the body's minimum of voter representatives
    (rules_for(body).voter_report_min_representatives, default 50); the minimum that applied is
    stored on the report.
    """
    _check_manage(actor, report)
    minimum = rules_for(report.body).voter_report_min_representatives
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    if representatives_present < minimum:
        errors["representatives_present"] = _(
            "At least %(minimum)s voter representatives must attend; %(count)s did."
        ) % {"minimum": minimum, "count": representatives_present}
    if not report_text.strip():
        errors["report_text"] = _("Enter the text of the report.")
    if errors:
        raise ValidationError(errors)
    changes = {
        "held_on": held_on,
        "representatives_present": representatives_present,
        "representatives_minimum": minimum,
        "report_text": report_text,
    }
    if attachment:
        changes["attachment"] = attachment
    report = transition(
        report, to=State.HELD, actor=actor, verb="held", allowed=_manage_allowed, expected=State.PLANNED,
        changes=changes, data={"representatives_present": representatives_present, "minimum": minimum},
    )
    record_duty_activity(
        deputy=report.deputy, kind=ActivityKind.VOTER_REPORT, date=held_on, source_object=report, actor=actor,
        title=_("Report to voters at %(place)s") % {"place": report.place},
    )
    return report


@transaction.atomic
def voter_report_question_add(
    *, actor, report: VoterReport, question: str, answer: str = "", asked_by: str = ""
) -> VoterReportQuestion:
    """Record a question voters asked at the meeting and the deputy's answer."""
    report = _locked(report, State.HELD, State.RECTIFICATION_REQUIRED, State.CLOSED)
    _check_manage(actor, report)
    if not question.strip():
        raise ValidationError({"question": _("Enter the question.")})
    item = VoterReportQuestion.objects.create(
        report=report, question=question.strip(), answer=answer.strip(), asked_by=asked_by.strip()[:100],
        created_by=actor,
    )
    record_event(report, actor=actor, verb="question_added", data={"question": item.pk})
    return item


# ---- the ballot ------------------------------------------------------------------------------


@transaction.atomic
def ballot_slips_generate(*, actor, report: VoterReport, count: int) -> list[tuple[int, str]]:
    """Create `count` single-use ballot links and return (serial, token) pairs, shown this once.

    Only each token's digest is kept, so the printed list is the only copy of the links.
    """
    report = _locked(report, State.PLANNED, State.HELD)
    _check_manage(actor, report)
    if not 1 <= count <= MAX_SLIPS_PER_BATCH:
        raise ValidationError(
            {"count": _("Generate between 1 and %(max)s slips at a time.") % {"max": MAX_SLIPS_PER_BATCH}}
        )
    start = (report.slips.aggregate(last=Max("serial"))["last"] or 0) + 1
    tokens = [(start + offset, secrets.token_urlsafe(24)) for offset in range(count)]
    BallotSlip.objects.bulk_create(
        BallotSlip(report=report, serial=serial, token_digest=token_digest(token)) for serial, token in tokens
    )
    record_event(report, actor=actor, verb="slips_generated", data={"count": count, "from": start})
    return tokens


def ballot_slip_for_token(token: str) -> BallotSlip:
    """The slip of a ballot link with its report and deputy, or BallotUnknown."""
    slip = (
        BallotSlip.objects.select_related("report__deputy", "report__body")
        .filter(token_digest=token_digest(token or ""))
        .first()
    )
    if slip is None:
        raise BallotUnknown()
    return slip


@transaction.atomic
def ballot_cast(*, token: str, choice: str) -> BallotSlip:
    """A voter votes with a ballot link, once.

    The report row is locked so that a vote and the closing of the ballot serialise (no vote
    lands after the final tally is stored); the slip is claimed with a conditional UPDATE, so of
    two submissions of the same link exactly one records a vote.
    """
    choice = Satisfaction(choice)
    slip = ballot_slip_for_token(token)
    report = VoterReport.objects.select_for_update().filter(pk=slip.report_id).values_list("state", flat=True).get()
    if report != State.HELD:
        raise BallotClosed()
    now = timezone.now()
    claimed = BallotSlip.objects.filter(pk=slip.pk, choice="").update(choice=choice, voted_at=now)
    if claimed != 1:
        raise BallotUsed()
    slip.choice, slip.voted_at = choice, now
    # No event row per vote: the ballot is secret, and the timeline would name the slip.
    return slip


@transaction.atomic
def paper_tally_add(
    *, actor, report: VoterReport, satisfied: int, basically_satisfied: int, unsatisfied: int, note: str = ""
) -> PaperTally:
    """Add the counts of a box of paper ballots to the tally (entries add up)."""
    report = _locked(report, State.HELD)
    _check_manage(actor, report)
    counts = {"satisfied": satisfied, "basically_satisfied": basically_satisfied, "unsatisfied": unsatisfied}
    if any(value < 0 for value in counts.values()) or not any(counts.values()):
        raise ValidationError(_("Enter the number of paper ballots of each kind (at least one)."))
    tally = PaperTally.objects.create(report=report, note=note.strip()[:200], entered_by=actor, **counts)
    record_event(report, actor=actor, verb="paper_tally_added", note=note, data=counts)
    return tally


@transaction.atomic
def voter_report_close_ballot(*, actor, report: VoterReport) -> VoterReport:
    """Close the ballot and store the final tally.

    More than half 不满意 of all votes cast means the deputy owes the voters a written
    rectification plan: the report waits in `rectification_required` until it is submitted.
    """
    report = _locked(report, State.HELD)
    _check_manage(actor, report)
    tally = voter_report_tally(report)
    if tally.total == 0:
        raise ValidationError(_("No vote has been cast or entered yet."))
    failed = tally.unsatisfied_majority
    changes = {
        "satisfied": tally.satisfied,
        "basically_satisfied": tally.basically_satisfied,
        "unsatisfied": tally.unsatisfied,
        "ballot_closed_at": timezone.now(),
    }
    if failed:
        changes["rectification_due"] = timezone.localdate() + datetime.timedelta(days=RECTIFICATION_PLAN_DAYS)
    report = transition(
        report, to=State.RECTIFICATION_REQUIRED if failed else State.CLOSED, actor=actor, verb="ballot_closed",
        changes=changes, data={key: changes[key] for key in ("satisfied", "basically_satisfied", "unsatisfied")},
    )
    if failed:
        _notify_rectification(report, stage="required", urgent=True)
    return report


def _can_write_plan(actor, report) -> bool:
    return report.deputy.user_id == actor.pk or permissions.can_manage_voter_reports(actor, report.body)


def voter_report_submit_rectification(*, actor, report: VoterReport, plan: str) -> VoterReport:
    """The deputy (or staff on their behalf) submits the written rectification plan; this closes the report."""
    if not plan.strip():
        raise ValidationError({"plan": _("Write the rectification plan.")})
    return transition(
        report, to=State.CLOSED, actor=actor, verb="rectification_submitted", allowed=_can_write_plan,
        expected=State.RECTIFICATION_REQUIRED,
        changes={"rectification_plan": plan.strip(), "rectification_submitted_at": timezone.now()},
    )


# ---- reminders -------------------------------------------------------------------------------


def _notify_rectification(report: VoterReport, *, stage: str, urgent: bool = False) -> list:
    recipients = _staff_recipients(report.body)
    if report.deputy.user_id is not None:
        recipients.append(report.deputy.user_id)
    titles = {
        "required": _("More than half of the voters are unsatisfied with %(deputy)s's report: a rectification "
                      "plan is due by %(due)s"),
        "due_soon": _("The rectification plan of %(deputy)s is due on %(due)s"),
        "overdue": _("The rectification plan of %(deputy)s was due on %(due)s and is overdue"),
    }
    return notify(
        recipients=recipients,
        kind=f"deputies.rectification_{stage}",
        title=titles[stage] % {"deputy": report.deputy.name, "due": report.rectification_due},
        urgent=urgent,
        dedupe_key=f"deputies.rectification:{report.pk}:{stage}",
    )


def voter_reports_remind_rectification(*, today: datetime.date) -> int:
    """Remind the deputy and staff of rectification plans due within a week, and of overdue ones.

    A set-based sweep: one query finds the reports; the dedupe keys (one per report and stage:
    due soon, overdue) make a re-run or a duplicate delivery remind nobody twice.
    """
    soon = today + datetime.timedelta(days=RECTIFICATION_REMIND_DAYS_BEFORE)
    reports = VoterReport.objects.filter(
        state=State.RECTIFICATION_REQUIRED, rectification_due__lte=soon
    ).select_related("deputy", "body__region")
    reminded = 0
    for report in reports:
        stage = "overdue" if report.rectification_due < today else "due_soon"
        reminded += bool(_notify_rectification(report, stage=stage, urgent=stage == "overdue"))
    return reminded
