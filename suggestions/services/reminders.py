"""The reminder sweeps: one per kind of deadline, set-based, batched, and never sending twice.

Each sweep runs in two phases.

1. Record. The items due a reminder are read in primary-key batches and a `ReminderLog` row
   (kind, object, threshold) is inserted for each with `bulk_create(ignore_conflicts=True)`; the
   unique constraint drops the ones a previous run, or a second beat running at the same time,
   has already recorded.
2. Send. Unsent rows of the kind are claimed in batches by a conditional update carrying a
   random token (a claim older than `LEASE` is taken over: its sweep died), re-read by token,
   and their notifications written in one insert keyed by `reminder:<log id>` (the inbox's unique
   (recipient, dedupe_key) constraint makes a second write a no-op), then marked sent.

So a re-run records and sends nothing new; a sweep killed after recording leaves unsent rows that
the next run sends; two sweeps at once never claim the same row. Each batch costs a fixed number
of queries whatever its size. Reminders go to the inbox and out with the daily digest.
"""

import dataclasses
import datetime
import secrets
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import calendar
from congress.models import Notification, RoleGrant
from congress.models.accounts import Role
from suggestions.models import Assignment, Commitment, Proposal, ReminderLog

Kind = ReminderLog.Kind
BATCH_SIZE = 500
LEASE = datetime.timedelta(minutes=10)
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


# ---- what is due, per kind: (queryset over the object's model, threshold for one row) ---------


@dataclasses.dataclass(frozen=True)
class Spec:
    model: type
    # today → [(queryset of candidates, fields to read, threshold(row, today) → str)]
    candidates: Callable
    # Relations loaded with each object at sending time.
    related: tuple[str, ...]
    # (object, threshold) → whether the reminder still makes sense when it is sent.
    still_due: Callable
    # object → ("unit", unit id) / ("body", body id) / ("user", user id) recipients groups.
    audience: Callable
    title: Callable
    # object → the page the reminder opens ("" for none).
    url: Callable | None = None


def _intake(today):
    base = Proposal.objects.filter(
        session__isnull=True,
        state__in=(Proposal.State.SUBMITTED, Proposal.State.ACCEPTED),
        intake_due__lte=today + datetime.timedelta(days=2),
    )
    return [
        (base.filter(intake_due__gte=today), ("intake_due",), lambda row, today: f"due:{row['intake_due']}"),
        (base.filter(intake_due__lt=today), ("intake_due",), lambda row, today: f"overdue:{today}"),
    ]


def _objection(today):
    qs = Assignment.objects.filter(
        state=Assignment.State.ASSIGNED, objection_due__range=(today, today + datetime.timedelta(days=1))
    )
    return [(qs, ("objection_due",), lambda row, today: str(row["objection_due"]))]


def _co_opinion(today):
    qs = Assignment.objects.filter(
        role=Assignment.Role.CO,
        state__in=(Assignment.State.ASSIGNED, Assignment.State.HANDLING),
        co_opinion_due__lte=today + datetime.timedelta(days=7),
    )
    return [(qs, ("co_opinion_due",), lambda row, today: str(row["co_opinion_due"]))]


def _reply_due(today):
    windows = []
    bounds = [*REPLY_DUE_WINDOWS, -1]
    for days, next_days in zip(bounds, bounds[1:], strict=False):
        qs = Assignment.objects.filter(ACTIVE_ANSWERING).filter(
            reply_due__gt=today + datetime.timedelta(days=next_days),
            reply_due__lte=today + datetime.timedelta(days=days),
        )
        windows.append((qs, ("reply_due",), lambda row, today, days=days: f"{days}:{row['reply_due']}"))
    return windows


def _overdue(today):
    qs = Assignment.objects.filter(ACTIVE_ANSWERING).filter(reply_due__lt=today)
    return [(qs, ("reply_due",), lambda row, today: f"{today}")]


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
        windows.append((qs, ("round",), lambda row, today, n=working_days: f"{n}:round-{row['round']}"))
        newer_than = cutoff
    return windows


def _rehandling(today):
    qs = Assignment.objects.filter(
        state=Assignment.State.EVALUATED, rehandling_order_due__lte=today + datetime.timedelta(days=1)
    )
    return [(qs, ("rehandling_order_due",), lambda row, today: str(row["rehandling_order_due"]))]


def _commitment(today):
    qs = Commitment.objects.filter(
        fulfilled_at__isnull=True,
        due_on__range=(today - datetime.timedelta(days=30), today + datetime.timedelta(days=7)),
    )
    return [(qs, ("due_on",), lambda row, today: str(row["due_on"]))]


def _assignment_title(text):
    return lambda obj: text % {"title": obj.proposal.title, "unit": obj.unit}


SPECS: dict[str, Spec] = {
    Kind.INTAKE_DUE: Spec(
        model=Proposal,
        candidates=_intake,
        related=(),
        still_due=lambda obj, threshold: obj.state in (Proposal.State.SUBMITTED, Proposal.State.ACCEPTED),
        audience=lambda obj: [("body", obj.body_id)],
        title=lambda obj: _("Recess proposal to assign by %(due)s: %(title)s") % {"due": obj.intake_due,
                                                                                 "title": obj.title},
    ),
    Kind.OBJECTION_CLOSING: Spec(
        model=Assignment,
        candidates=_objection,
        related=("proposal", "unit"),
        still_due=lambda obj, threshold: obj.state == Assignment.State.ASSIGNED,
        audience=lambda obj: [("unit", obj.unit_id)],
        title=lambda obj: _("The objection window for “%(title)s” closes on %(due)s")
        % {"title": obj.proposal.title, "due": obj.objection_due},
    ),
    Kind.CO_OPINION_DUE: Spec(
        model=Assignment,
        candidates=_co_opinion,
        related=("proposal", "unit"),
        still_due=lambda obj, threshold: obj.state in (Assignment.State.ASSIGNED, Assignment.State.HANDLING),
        audience=lambda obj: [("unit", obj.unit_id)],
        title=lambda obj: _("Your co-handler opinion on “%(title)s” is due on %(due)s")
        % {"title": obj.proposal.title, "due": obj.co_opinion_due},
    ),
    Kind.REPLY_DUE: Spec(
        model=Assignment,
        candidates=_reply_due,
        related=("proposal", "unit"),
        still_due=lambda obj, threshold: obj.state in Assignment.ACTIVE_STATES
        and threshold.endswith(str(obj.reply_due)),
        audience=lambda obj: [("unit", obj.unit_id)],
        title=lambda obj: _("The reply to “%(title)s” is due on %(due)s")
        % {"title": obj.proposal.title, "due": obj.reply_due},
    ),
    Kind.OVERDUE: Spec(
        model=Assignment,
        candidates=_overdue,
        related=("proposal", "unit"),
        still_due=lambda obj, threshold: obj.state in Assignment.ACTIVE_STATES,
        audience=lambda obj: [("unit", obj.unit_id), ("body", obj.proposal.body_id)],
        title=lambda obj: _("Overdue: the reply of %(unit)s to “%(title)s” was due on %(due)s")
        % {"title": obj.proposal.title, "unit": obj.unit, "due": obj.reply_due},
    ),
    Kind.RATING_PENDING: Spec(
        model=Assignment,
        candidates=_rating,
        related=("proposal__lead_deputy", "unit"),
        still_due=lambda obj, threshold: obj.state == Assignment.State.REPLIED,
        audience=lambda obj: [("user", obj.proposal.lead_deputy.user_id)],
        title=lambda obj: _("Please rate the reply of %(unit)s to “%(title)s” by %(due)s")
        % {"title": obj.proposal.title, "unit": obj.unit, "due": obj.rating_due},
        url=lambda obj: reverse("portal:suggestions:rate", args=[obj.proposal_id, obj.pk]),
    ),
    Kind.REHANDLING_DUE: Spec(
        model=Assignment,
        candidates=_rehandling,
        related=("proposal", "unit"),
        still_due=lambda obj, threshold: obj.state == Assignment.State.EVALUATED and obj.rehandling_order_due,
        audience=lambda obj: [("body", obj.proposal.body_id)],
        title=lambda obj: _("Decide on re-handling “%(title)s” (%(unit)s) by %(due)s")
        % {"title": obj.proposal.title, "unit": obj.unit, "due": obj.rehandling_order_due},
    ),
    Kind.COMMITMENT_DUE: Spec(
        model=Commitment,
        candidates=_commitment,
        related=("reply__assignment__proposal",),
        still_due=lambda obj, threshold: obj.fulfilled_at is None,
        audience=lambda obj: [("unit", obj.reply.assignment.unit_id)],
        title=lambda obj: _("A commitment on “%(title)s” is due on %(due)s")
        % {"title": obj.reply.assignment.proposal.title, "due": obj.due_on},
    ),
}


# ---- the engine ------------------------------------------------------------------------------


def record_due(kind: str, *, today: datetime.date, batch_size: int = BATCH_SIZE) -> int:
    """Phase 1: insert a claim row for every item due a reminder of `kind`."""
    spec = SPECS[kind]
    inserted = 0
    for queryset, fields, threshold in spec.candidates(today):
        last_pk = 0
        while True:
            rows = list(queryset.filter(pk__gt=last_pk).order_by("pk").values("pk", *fields)[:batch_size])
            if not rows:
                break
            ReminderLog.objects.bulk_create(
                [ReminderLog(kind=kind, object_id=row["pk"], threshold=threshold(row, today)) for row in rows],
                ignore_conflicts=True,
            )
            inserted += len(rows)
            last_pk = rows[-1]["pk"]
            if len(rows) < batch_size:
                break
    return inserted


def _claim(kind: str, *, batch_size: int, now) -> list[ReminderLog]:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    ids = list(
        ReminderLog.objects.filter(free, kind=kind, sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)[
            :batch_size
        ]
    )
    if not ids:
        return []
    token = secrets.token_hex(16)
    ReminderLog.objects.filter(free, pk__in=ids, sent_at__isnull=True).update(claim_token=token, claimed_at=now)
    return list(ReminderLog.objects.filter(claim_token=token, sent_at__isnull=True).order_by("pk"))


def _recipients(groups: set[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:
    """Users of each ("unit", id) and ("body", id) group in one query; ("user", id) is itself."""
    result: dict[tuple[str, int], list[int]] = defaultdict(list)
    unit_ids = {pk for group, pk in groups if group == "unit"}
    body_ids = {pk for group, pk in groups if group == "body"}
    if unit_ids or body_ids:
        grants = RoleGrant.objects.active().filter(user__is_active=True).filter(
            Q(role=Role.UNIT_OFFICER, unit_id__in=unit_ids)
            | Q(role__in=(Role.STAFF_ADMIN, Role.STAFF_CLERK), body_id__in=body_ids)
        )
        for role, unit_id, body_id, user_id in grants.values_list("role", "unit_id", "body_id", "user_id"):
            key = ("unit", unit_id) if role == Role.UNIT_OFFICER else ("body", body_id)
            if user_id not in result[key]:
                result[key].append(user_id)
    for group, pk in groups:
        if group == "user" and pk:
            result[(group, pk)] = [pk]
    return result


def send_claimed(kind: str, logs: list[ReminderLog], *, now) -> int:
    """Phase 2 for one claimed batch: write the notifications, then mark the rows sent."""
    spec = SPECS[kind]
    objects = spec.model.objects.select_related(*spec.related).in_bulk([log.object_id for log in logs])
    plan = []
    for log in logs:
        obj = objects.get(log.object_id)
        if obj is None or not spec.still_due(obj, log.threshold):
            continue  # handled since it was recorded: nothing to say
        plan.append((log, obj, spec.audience(obj)))
    recipients = _recipients({group for _log, _obj, groups in plan for group in groups})
    notifications = []
    for log, obj, groups in plan:
        users = {user_id for group in groups for user_id in recipients.get(group, ())}
        title = str(spec.title(obj))[:200]
        url = spec.url(obj) if spec.url else ""
        notifications += [
            Notification(recipient_id=user_id, kind=f"suggestions.reminder.{kind}", title=title, url=url,
                          dedupe_key=f"reminder:{log.pk}")
            for user_id in sorted(users)
        ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    ReminderLog.objects.filter(pk__in=[log.pk for log in logs]).update(sent_at=now)
    return len(notifications)


def send_pending(kind: str, *, batch_size: int = BATCH_SIZE) -> int:
    """Phase 2: send every recorded, unsent reminder of `kind` (also those a dead sweep left)."""
    sent = 0
    while True:
        now = timezone.now()
        logs = _claim(kind, batch_size=batch_size, now=now)
        if not logs:
            return sent
        sent += send_claimed(kind, logs, now=now)


def sweep(kind: str, *, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    today = today or timezone.localdate()
    recorded = record_due(kind, today=today, batch_size=batch_size)
    sent = send_pending(kind, batch_size=batch_size)
    return {"candidates": recorded, "notifications": sent}
