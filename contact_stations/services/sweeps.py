"""The periodic sweeps: deadline reminders and escalation, announcing shifts, shifts left open,
and removing citizens' contact details after the retention period.

Each sweep is set-based and batched: it pages through the due rows by primary key, finds the
people to tell from one preloaded index of role grants, and writes a batch's notifications in one
insert (`notify_many`), so its cost is a fixed number of queries per batch whatever the table
size. Dedupe keys make a re-run, or a task delivered twice, send nothing twice; a key carries the
deadline it is about, so a new deadline (after a transfer or a reopening) is reminded afresh.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body, Event
from congress.models.accounts import Role
from congress.notifications.bulk import Reminder, notify_many
from congress.rules import rules_for
from congress.workflow import WorkflowError
from contact_stations.models import DutyShift, Opinion
from contact_stations.services.common import GrantIndex
from contact_stations.services.opinions import holder_ids
from contact_stations.services.shifts import shift_publish
from contact_stations.services.sms_codes import sms_codes_purge

BATCH_SIZE = 500
# Holders hear of an answer deadline this many days before it.
ANSWER_WARNING_DAYS = 3
# A planned shift is announced automatically from `shift_notice_days + lead` days before it, so
# that a sweep missed for a day or two still leaves the full notice period.
AUTO_PUBLISH_LEAD_DAYS = 2
OFFICE = {Role.STAFF_ADMIN, Role.STAFF_CLERK}
TOWN = {Role.TOWNSHIP_OFFICER}

State = Opinion.State
ANSWER_CLOCK_STATES = (State.RECEIVED, *Opinion.AWAITING_ANSWER)


def _grant_index() -> GrantIndex:
    return GrantIndex({Role.TOWNSHIP_OFFICER, Role.STATION_KEEPER, Role.STAFF_ADMIN, Role.STAFF_CLERK,
                       Role.UNIT_OFFICER})


def _opinion_reminders(opinion: Opinion, *, today: datetime.date, index: GrantIndex) -> list[Reminder]:
    holders = holder_ids(opinion, index)
    office = index.users_reaching(opinion.region.path, OFFICE)
    code = opinion.receipt_code
    reminders = []
    if opinion.state == State.RECEIVED and opinion.ack_due <= today:
        if opinion.ack_due == today:
            reminders.append(Reminder(
                frozenset(holders), "opinion_ack_due",
                _("Citizen’s opinion %(code)s must be acknowledged today") % {"code": code},
                f"opinion-ack-due:{opinion.pk}:{opinion.ack_due.isoformat()}",
            ))
        else:
            reminders.append(Reminder(
                frozenset(holders | office), "opinion_ack_overdue",
                _("Citizen’s opinion %(code)s was due to be acknowledged on %(date)s")
                % {"code": code, "date": opinion.ack_due.isoformat()},
                f"opinion-ack-overdue:{opinion.pk}:{opinion.ack_due.isoformat()}",
                urgent=True,
            ))
    if opinion.state in ANSWER_CLOCK_STATES:
        if opinion.answer_due < today:
            reminders.append(Reminder(
                frozenset(holders | office), "opinion_answer_overdue",
                _("Citizen’s opinion %(code)s was due to be answered on %(date)s")
                % {"code": code, "date": opinion.answer_due.isoformat()},
                f"opinion-answer-overdue:{opinion.pk}:{opinion.answer_due.isoformat()}",
                urgent=True,
            ))
        elif opinion.answer_due <= today + datetime.timedelta(days=ANSWER_WARNING_DAYS):
            reminders.append(Reminder(
                frozenset(holders), "opinion_answer_due",
                _("Citizen’s opinion %(code)s must be answered by %(date)s")
                % {"code": code, "date": opinion.answer_due.isoformat()},
                f"opinion-answer-due:{opinion.pk}:{opinion.answer_due.isoformat()}",
            ))
    return reminders


def opinions_remind_due(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Remind holders of acknowledgements and answers due, and escalate overdue ones to the office."""
    today = today or timezone.localdate()
    index = _grant_index()
    due = Opinion.objects.filter(
        Q(state=State.RECEIVED, ack_due__lte=today)
        | Q(state__in=ANSWER_CLOCK_STATES, answer_due__lte=today + datetime.timedelta(days=ANSWER_WARNING_DAYS))
    )
    summary = {"opinions": 0, "notifications": 0}
    after = 0
    while True:
        batch = list(due.filter(pk__gt=after).select_related("region", "station").order_by("pk")[:batch_size])
        if not batch:
            break
        after = batch[-1].pk
        reminders = [
            reminder for opinion in batch for reminder in _opinion_reminders(opinion, today=today, index=index)
        ]
        summary["opinions"] += len(batch)
        summary["notifications"] += notify_many(reminders)
    return summary


def shifts_publish_due(*, today: datetime.date | None = None) -> dict[str, int]:
    """Announce planned shifts entering their notice window; the rest wait for the keeper."""
    today = today or timezone.localdate()
    notice = {}
    planned = DutyShift.objects.filter(state=DutyShift.State.PLANNED)
    for body in Body.objects.filter(pk__in=planned.values("station__body")):
        notice[body.pk] = rules_for(body).shift_notice_days
    summary = {"published": 0, "skipped": 0}
    for body_id, days in notice.items():
        window = (today + datetime.timedelta(days=days), today + datetime.timedelta(days=days + AUTO_PUBLISH_LEAD_DAYS))
        shifts = DutyShift.objects.filter(
            state=DutyShift.State.PLANNED, station__body_id=body_id, date__range=window, station__status="active"
        ).select_related("station__body", "station__region")
        for shift in shifts:
            try:
                shift_publish(actor=None, shift=shift, today=today)
            except (ValidationError, WorkflowError):
                summary["skipped"] += 1  # no deputies named yet, or the keeper got there first
            else:
                summary["published"] += 1
    return summary


def shifts_remind_unclosed(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Tell the keeper and the town's officers about announced shifts past their day and not closed."""
    today = today or timezone.localdate()
    index = GrantIndex(TOWN)
    created, after = 0, 0
    while True:
        batch = list(
            DutyShift.objects.filter(state=DutyShift.State.PUBLISHED, date__lt=today, pk__gt=after)
            .select_related("station__region")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            break
        after = batch[-1].pk
        reminders = []
        for shift in batch:
            recipients = index.users_reaching(shift.station.region.path, TOWN)
            if shift.station.keeper_id:
                recipients.add(shift.station.keeper_id)
            reminders.append(Reminder(
                frozenset(recipients), "shift_unclosed",
                _("Record the reception day of %(date)s at %(station)s: who came and how many visitors")
                % {"date": shift.date.isoformat(), "station": shift.station.name},
                f"shift-unclosed:{shift.pk}",
            ))
        created += notify_many(reminders)
    return created


def opinions_anonymise(*, now: datetime.datetime | None = None, batch_size: int = 1000) -> int:
    """Remove citizens' names and phones from opinions closed longer than the retention period.

    The opinion, its answers, ratings and statistics stay (SECURITY S19). Set-based per congress
    (each may keep data for its own number of days), one update and one event insert per batch.
    """
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(Opinion)
    total = 0
    for body in Body.objects.filter(pk__in=Opinion.objects.filter(anonymised_at__isnull=True).values("body")):
        cutoff = now - datetime.timedelta(days=rules_for(body).citizen_data_retention_days)
        candidates = (
            Opinion.objects.filter(body=body, state=State.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True)
            .filter(~Q(citizen_phone="") | ~Q(citizen_name="") | ~Q(citizen_phone_index=""))
        )
        while True:
            with transaction.atomic():
                ids = list(candidates.order_by("pk").values_list("pk", flat=True)[:batch_size])
                if not ids:
                    break
                Opinion.objects.filter(pk__in=ids, anonymised_at__isnull=True).update(
                    citizen_name="", citizen_phone="", citizen_phone_index="", anonymised_at=now, updated_at=now
                )
                Event.objects.bulk_create(
                    [Event(content_type=content_type, object_id=str(pk), verb="contact_removed") for pk in ids]
                )
            total += len(ids)
        # Closed items without any contact details are marked too, so they drop out of the query.
        Opinion.objects.filter(
            body=body, state=State.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True,
            citizen_phone="", citizen_name="",
        ).update(anonymised_at=now)
    sms_codes_purge(now=now)
    return total
