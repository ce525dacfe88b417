"""Reads of reports to voters: the live tally, the per-term plan with its warning list, and the
reports a user or a deputy may see."""

import dataclasses

from django.db.models import Count, Q, Sum

from congress.models import Body, Term
from congress.permissions import visible_bodies
from deputies.models import BallotSlip, Deputy, PaperTally, Satisfaction, VoterReport


@dataclasses.dataclass(frozen=True)
class Tally:
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    online: int = 0
    paper: int = 0
    slips: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def unsatisfied_majority(self) -> bool:
        """More than half of the votes cast are 不满意 (DESIGN §3): a rectification plan is required."""
        return self.total > 0 and self.unsatisfied * 2 > self.total

    def percent(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def rows(self):
        """(label, count, percent) per choice, for the tally table and bars."""
        return [
            (Satisfaction.SATISFIED.label, self.satisfied, self.percent(self.satisfied), "success"),
            (Satisfaction.BASICALLY_SATISFIED.label, self.basically_satisfied,
             self.percent(self.basically_satisfied), "warning"),
            (Satisfaction.UNSATISFIED.label, self.unsatisfied, self.percent(self.unsatisfied), "danger"),
        ]


def voter_report_tally(report: VoterReport) -> Tally:
    """The tally as it stands: votes cast through ballot links plus paper tallies (two queries).

    A closed ballot shows the tally stored when it closed.
    """
    if report.ballot_closed_at is not None:
        return Tally(report.satisfied, report.basically_satisfied, report.unsatisfied)
    online = BallotSlip.objects.filter(report=report).aggregate(
        slips=Count("pk"),
        satisfied=Count("pk", filter=Q(choice=Satisfaction.SATISFIED)),
        basically_satisfied=Count("pk", filter=Q(choice=Satisfaction.BASICALLY_SATISFIED)),
        unsatisfied=Count("pk", filter=Q(choice=Satisfaction.UNSATISFIED)),
    )
    paper = PaperTally.objects.filter(report=report).aggregate(
        satisfied=Sum("satisfied"), basically_satisfied=Sum("basically_satisfied"), unsatisfied=Sum("unsatisfied")
    )
    counts = {key: online[key] + (paper[key] or 0) for key in ("satisfied", "basically_satisfied", "unsatisfied")}
    online_total = online["satisfied"] + online["basically_satisfied"] + online["unsatisfied"]
    return Tally(**counts, online=online_total, paper=sum(counts.values()) - online_total, slips=online["slips"])


def voter_reports_for(user, *, body: Body | None = None, term: Term | None = None):
    """Reports of the congresses the user may see, with deputy and region (one query)."""
    reports = VoterReport.objects.filter(body__in=visible_bodies(user)).select_related("deputy", "region", "body")
    if body is not None:
        reports = reports.filter(body=body)
    if term is not None:
        reports = reports.filter(term=term)
    return reports.order_by("-scheduled_on", "-pk")


def voter_reports_held(body: Body, year: int) -> int:
    """Reports to voters of the congress actually held (a meeting date recorded) in `year`."""
    return VoterReport.objects.filter(body=body, held_on__year=year).count()


def voter_report_get(user, pk: int) -> VoterReport:
    return (
        VoterReport.objects.filter(body__in=visible_bodies(user))
        .select_related("deputy", "region", "body__region", "term")
        .get(pk=pk)
    )


def deputies_not_scheduled(body: Body, term: Term):
    """Serving deputies of the term with no report to voters planned or held (the plan's warning list)."""
    scheduled = VoterReport.objects.not_cancelled().filter(term=term).values("deputy_id")
    return (
        Deputy.objects.filter(body=body, term=term, status=Deputy.Status.SERVING)
        .exclude(pk__in=scheduled)
        .select_related("constituency")
        .order_by("name", "pk")
    )


def deputy_voter_reports(deputy: Deputy):
    """A deputy's own reports to voters, newest first, with their questions (two queries)."""
    return (
        VoterReport.objects.filter(deputy=deputy)
        .exclude(state=VoterReport.State.CANCELLED)
        .select_related("region")
        .prefetch_related("questions")
        .order_by("-scheduled_on", "-pk")
    )
