"""The reminder sweeps: one per kind of deadline, set-based, batched, and never sending twice.

Each sweep reads the items due a reminder in primary-key batches and writes the batch's inbox
notifications through `congress.notifications.bulk.notify_many`, the piece every app's sweeps
share. The inbox row is the record, written before anything leaves with the daily digest, and its
unique (recipient, dedupe_key) is the claim. Each key names the kind, the item and the threshold
the item has crossed ("14:2026-03-30" for a reply due in 14 days, "5:round-1" for the rating
reminder five working days after the first reply, the day itself for the daily overdue reminder)
and never the run date alone, so:

- a re-run, a task delivered twice or two beats at once write nothing new;
- a sweep killed in a batch has written none of it (one transaction per batch), and the next run
  writes that batch and the rest; the batches before it are not written twice;
- an item whose threshold a crashed day did not remind is reminded the next day, while it is still
  within the threshold's window.

Each batch costs a fixed number of queries whatever its size: one read of the items with what the
titles need, one of the people to tell, and notify_many's read and insert.
"""

import dataclasses
import datetime
import enum
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import calendar
from congress.models import RoleGrant
from congress.models.accounts import Role
from congress.notifications.bulk import Reminder, notify_many
from suggestions.models import Assignment, Commitment, Proposal


class Kind(enum.StrEnum):
    INTAKE_DUE = "intake_due"
    OBJECTION_CLOSING = "objection_closing"
    CO_OPINION_DUE = "co_opinion_due"
    REPLY_DUE = "reply_due"
    OVERDUE = "overdue"
    RATING_PENDING = "rating_pending"
    REHANDLING_DUE = "rehandling_due"
    COMMITMENT_DUE = "commitment_due"


BATCH_SIZE = 500
REPLY_DUE_WINDOWS = (14, 7, 3)  # days before the reply is due
RATING_REMINDER_WORKING_DAYS = (10, 5)  # working days after the reply, largest first

ACTIVE_ANSWERING = Q(
    role__in=Assignment.ANSWERING_ROLES,
    state__in=(Assignment.State.ASSIGNED, Assignment.State.HANDLING, Assignment.State.REHANDLING),
)


def _working_day_cutoff(today: datetime.date, working_days: int) -> datetime.date:
    """The latest day d with `working_days` working days in (d, today]."""
    day, counted = today, 0
    while counted < working_days:
        if calendar.is_working_day(day):
            counted += 1
        day -= datetime.timedelta(days=1)
    return day


# ---- what is due, per kind ------------------------------------------------------------------

# today → [(queryset of the items due, threshold(item, today) → str)]: one entry per window.
Candidates = Callable[[datetime.date], list[tuple]]


@dataclasses.dataclass(frozen=True)
class Spec:
    candidates: Candidates
    # Relations read with each item, for its title and audience.
    related: tuple[str, ...]
    # item → [("unit", unit id) / ("body", body id) / ("user", user id)]: the groups to tell.
    audience: Callable
    title: Callable
    # item → the page the reminder opens ("" for none).
    url: Callable | None = None


def _intake(today):
    base = Proposal.objects.filter(
        session__isnull=True,
        state__in=(Proposal.State.SUBMITTED, Proposal.State.ACCEPTED),
        intake_due__lte=today + datetime.timedelta(days=2),
    )
    return [
        (base.filter(intake_due__gte=today), lambda obj, today: f"due:{obj.intake_due}"),
        # Daily while the deadline is missed: the day is the period, the proposal the item.
        (base.filter(intake_due__lt=today), lambda obj, today: f"overdue:{today}"),
    ]


def _objection(today):
    qs = Assignment.objects.filter(
        state=Assignment.State.ASSIGNED, objection_due__range=(today, today + datetime.timedelta(days=1))
    )
    return [(qs, lambda obj, today: str(obj.objection_due))]


def _co_opinion(today):
    qs = Assignment.objects.filter(
        role=Assignment.Role.CO,
        state__in=(Assignment.State.ASSIGNED, Assignment.State.HANDLING),
        co_opinion_due__lte=today + datetime.timedelta(days=7),
    )
    return [(qs, lambda obj, today: str(obj.co_opinion_due))]


def _reply_due(today):
    windows = []
    bounds = [*REPLY_DUE_WINDOWS, -1]
    for days, next_days in zip(bounds, bounds[1:], strict=False):
        qs = Assignment.objects.filter(ACTIVE_ANSWERING).filter(
            reply_due__gt=today + datetime.timedelta(days=next_days),
            reply_due__lte=today + datetime.timedelta(days=days),
        )
        windows.append((qs, lambda obj, today, days=days: f"{days}:{obj.reply_due}"))
    return windows


def _overdue(today):
    qs = Assignment.objects.filter(ACTIVE_ANSWERING).filter(reply_due__lt=today)
    # Once a day to each recipient while the reply is late (DESIGN §4: escalated daily).
    return [(qs, lambda obj, today: f"{today}")]


def _rating(today):
    windows, newer_than = [], None
    for working_days in RATING_REMINDER_WORKING_DAYS:
        cutoff = _working_day_cutoff(today, working_days)
        qs = Assignment.objects.filter(
            state=Assignment.State.REPLIED,
            rating_status=Assignment.RatingStatus.PENDING,
            replied_on__lte=cutoff,
            rating_due__gte=today,
        )
        if newer_than is not None:
            qs = qs.filter(replied_on__gt=newer_than)
        windows.append((qs, lambda obj, today, n=working_days: f"{n}:round-{obj.round}"))
        newer_than = cutoff
    return windows


def _rehandling(today):
    qs = Assignment.objects.filter(
        state=Assignment.State.EVALUATED, rehandling_order_due__lte=today + datetime.timedelta(days=1)
    )
    return [(qs, lambda obj, today: str(obj.rehandling_order_due))]


def _commitment(today):
    qs = Commitment.objects.filter(
        fulfilled_at__isnull=True,
        due_on__range=(today - datetime.timedelta(days=30), today + datetime.timedelta(days=7)),
    )
    return [(qs, lambda obj, today: str(obj.due_on))]


SPECS: dict[str, Spec] = {
    Kind.INTAKE_DUE: Spec(
        candidates=_intake,
        related=(),
        audience=lambda obj: [("body", obj.body_id)],
        title=lambda obj: _("Recess proposal to assign by %(due)s: %(title)s") % {"due": obj.intake_due,
                                                                                 "title": obj.title},
    ),
    Kind.OBJECTION_CLOSING: Spec(
        candidates=_objection,
        related=("proposal", "unit"),
        audience=lambda obj: [("unit", obj.unit_id)],
        title=lambda obj: _("The objection window for “%(title)s” closes on %(due)s")
        % {"title": obj.proposal.title, "due": obj.objection_due},
    ),
    Kind.CO_OPINION_DUE: Spec(
        candidates=_co_opinion,
        related=("proposal", "unit"),
        audience=lambda obj: [("unit", obj.unit_id)],
        title=lambda obj: _("Your co-handler opinion on “%(title)s” is due on %(due)s")
        % {"title": obj.proposal.title, "due": obj.co_opinion_due},
    ),
    Kind.REPLY_DUE: Spec(
        candidates=_reply_due,
        related=("proposal", "unit"),
        audience=lambda obj: [("unit", obj.unit_id)],
        title=lambda obj: _("The reply to “%(title)s” is due on %(due)s")
        % {"title": obj.proposal.title, "due": obj.reply_due},
    ),
    Kind.OVERDUE: Spec(
        candidates=_overdue,
        related=("proposal", "unit"),
        audience=lambda obj: [("unit", obj.unit_id), ("body", obj.proposal.body_id)],
        title=lambda obj: _("Overdue: the reply of %(unit)s to “%(title)s” was due on %(due)s")
        % {"title": obj.proposal.title, "unit": obj.unit, "due": obj.reply_due},
    ),
    Kind.RATING_PENDING: Spec(
        candidates=_rating,
        related=("proposal__lead_deputy", "unit"),
        audience=lambda obj: [("user", obj.proposal.lead_deputy.user_id)],
        title=lambda obj: _("Please rate the reply of %(unit)s to “%(title)s” by %(due)s")
        % {"title": obj.proposal.title, "unit": obj.unit, "due": obj.rating_due},
        url=lambda obj: reverse("portal:suggestions:rate", args=[obj.proposal_id, obj.pk]),
    ),
    Kind.REHANDLING_DUE: Spec(
        candidates=_rehandling,
        related=("proposal", "unit"),
        audience=lambda obj: [("body", obj.proposal.body_id)],
        title=lambda obj: _("Decide on re-handling “%(title)s” (%(unit)s) by %(due)s")
        % {"title": obj.proposal.title, "unit": obj.unit, "due": obj.rehandling_order_due},
    ),
    Kind.COMMITMENT_DUE: Spec(
        candidates=_commitment,
        related=("reply__assignment__proposal",),
        audience=lambda obj: [("unit", obj.reply.assignment.unit_id)],
        title=lambda obj: _("A commitment on “%(title)s” is due on %(due)s")
        % {"title": obj.reply.assignment.proposal.title, "due": obj.due_on},
    ),
}


# ---- the engine ------------------------------------------------------------------------------


def reminder_key(kind: str, object_id: int, threshold: str) -> str:
    """The inbox key of one reminder: the kind, the item and the threshold it has crossed.

    Migration 0004 rewrote the keys of the reminders sent before this scheme to this form."""
    return f"suggestions-{kind}:{object_id}:{threshold}"


def _batches(queryset, related: tuple[str, ...], batch_size: int):
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).select_related(*related).order_by("pk")[:batch_size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk
        if len(batch) < batch_size:
            return


def _recipients(groups: set[tuple[str, int]]) -> dict[tuple[str, int], set[int]]:
    """Users of each ("unit", id) and ("body", id) group in one query; ("user", id) is itself."""
    result: dict[tuple[str, int], set[int]] = defaultdict(set)
    unit_ids = {pk for group, pk in groups if group == "unit"}
    body_ids = {pk for group, pk in groups if group == "body"}
    if unit_ids or body_ids:
        grants = RoleGrant.objects.active().filter(user__is_active=True).filter(
            Q(role=Role.UNIT_OFFICER, unit_id__in=unit_ids)
            | Q(role__in=(Role.STAFF_ADMIN, Role.STAFF_CLERK), body_id__in=body_ids)
        )
        for role, unit_id, body_id, user_id in grants.values_list("role", "unit_id", "body_id", "user_id"):
            result[("unit", unit_id) if role == Role.UNIT_OFFICER else ("body", body_id)].add(user_id)
    for group, pk in groups:
        if group == "user" and pk:
            result[(group, pk)] = {pk}
    return result


def _reminders(kind: str, items: list, threshold: Callable, *, today: datetime.date) -> list[Reminder]:
    spec = SPECS[kind]
    audiences = [spec.audience(item) for item in items]
    recipients = _recipients({group for groups in audiences for group in groups})
    return [
        Reminder(
            recipient_ids=frozenset(user_id for group in groups for user_id in recipients.get(group, ())),
            kind=f"suggestions.reminder.{kind}",
            title=str(spec.title(item)),
            url=spec.url(item) if spec.url else "",
            dedupe_key=reminder_key(kind, item.pk, threshold(item, today)),
        )
        for item, groups in zip(items, audiences, strict=True)
    ]


def sweep(kind: str, *, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Remind everyone concerned by each item due a reminder of `kind` and not yet reminded at its
    threshold; returns how many items were due and how many inbox notifications were written."""
    today = today or timezone.localdate()
    candidates = written = 0
    for queryset, threshold in SPECS[kind].candidates(today):
        for items in _batches(queryset, SPECS[kind].related, batch_size):
            candidates += len(items)
            # One transaction per batch: a sweep killed here leaves this batch and the rest whole.
            written += notify_many(_reminders(kind, items, threshold, today=today))
    return {"candidates": candidates, "notifications": written}
