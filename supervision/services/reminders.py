"""The reminder sweeps: report milestones at risk, implementation reports due and overdue,
follow-up checks (回头看) coming due, rectification ledger items (整改台账) due and overdue, the
handling reports owed after a special inquiry.

Set-based and idempotent, the way `suggestions.services.reminders` is: candidates are read in
primary-key batches, the people to tell are found with one query per group for the whole batch,
and the batch's notifications are written in one insert (`notify_many`). The claim is the inbox's unique
(recipient, dedupe_key) constraint: each key names the item, the deadline and the threshold, so a
re-run, a task delivered twice or two beats at once insert nothing new, a sweep killed between
batches leaves the rest for the next run, and a moved deadline is reminded afresh. Each batch
costs a fixed number of queries whatever its size.
"""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import RoleGrant
from congress.models.accounts import Role
from congress.notifications.bulk import Reminder, notify_many
from supervision.models import (
    MILESTONES,
    DeliberationOpinion,
    FollowUpCheck,
    ImplementationReport,
    InquiryQuestion,
    OpinionUnit,
    RectificationItem,
    SpecialInquiry,
    Topic,
)

BATCH_SIZE = 500
MILESTONE_WARNING_DAYS = 3  # remind this many days before an art. 15 milestone
REPORT_DUE_DAYS = 14  # remind this many days before an implementation report is due
FOLLOW_UP_WARNING_DAYS = 7  # remind the lead committee a week before a follow-up check
LEDGER_DUE_DAYS = 14  # remind the owner unit this many days before a ledger item is due
INQUIRY_REPORT_DUE_DAYS = 14  # remind the questioned units this many days before their handling report
ACTIVE_TOPIC_STATES = (Topic.State.PLANNED, Topic.State.IN_PROGRESS)


def _batches(queryset, fields, batch_size):
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk).order_by("pk").values("pk", *fields)[:batch_size])
        if not rows:
            return
        yield rows
        last_pk = rows[-1]["pk"]
        if len(rows) < batch_size:
            return


def _office_and_unit_users(body_ids, unit_ids) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Office staff per body and officers per unit, in one query."""
    staff, officers = defaultdict(set), defaultdict(set)
    grants = RoleGrant.objects.active().filter(user__is_active=True).filter(
        Q(role__in=(Role.STAFF_ADMIN, Role.STAFF_CLERK), body_id__in=set(body_ids))
        | Q(role=Role.UNIT_OFFICER, unit_id__in=set(unit_ids))
    )
    for role, body_id, unit_id, user_id in grants.values_list("role", "body_id", "unit_id", "user_id"):
        if role == Role.UNIT_OFFICER:
            officers[unit_id].add(user_id)
        else:
            staff[body_id].add(user_id)
    return staff, officers


def remind_milestones(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Tell the office and the supervised units when a report milestone is near or missed."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=MILESTONE_WARNING_DAYS)
    written = 0
    for name, _rule in MILESTONES:
        due_field, done_field = f"{name}_due", f"{name}_done"
        candidates = Topic.objects.filter(
            state__in=ACTIVE_TOPIC_STATES, **{f"{due_field}__lte": horizon, f"{done_field}__isnull": True}
        )
        for rows in _batches(candidates, ("title", "plan__body_id", due_field), batch_size):
            topic_units = defaultdict(set)
            for topic_id, unit_id in Topic.supervised_units.through.objects.filter(
                topic_id__in=[row["pk"] for row in rows]
            ).values_list("topic_id", "unit_id"):
                topic_units[topic_id].add(unit_id)
            staff, officers = _office_and_unit_users(
                [row["plan__body_id"] for row in rows], {u for units in topic_units.values() for u in units}
            )
            reminders = []
            for row in rows:
                due = row[due_field]
                overdue = due < today
                label = Topic._meta.get_field(due_field).verbose_name
                title = (
                    _("Missed: %(milestone)s (due %(due)s) for “%(title)s”")
                    if overdue
                    else _("%(milestone)s by %(due)s for “%(title)s”")
                ) % {"milestone": label, "due": due, "title": row["title"]}
                key = f"supervision-milestone:{row['pk']}:{name}:{due}:{'overdue' if overdue else 'near'}"
                users = set(staff[row["plan__body_id"]])
                for unit_id in topic_units[row["pk"]]:
                    users |= officers[unit_id]
                reminders.append(
                    Reminder(recipient_ids=frozenset(users), kind="supervision.milestone", title=str(title),
                             dedupe_key=key, urgent=overdue)
                )
            written += notify_many(reminders)
    return written


def remind_implementation_reports(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind each unit whose implementation report for the current round is due within
    `REPORT_DUE_DAYS`, and tell the unit and the office once when it is overdue."""
    today = today or timezone.localdate()
    reported = ImplementationReport.objects.filter(
        opinion_id=OuterRef("opinion_id"), unit_id=OuterRef("unit_id"), round=OuterRef("opinion__round")
    )
    candidates = OpinionUnit.objects.filter(
        opinion__state__in=DeliberationOpinion.AWAITING_REPORT,
        due_on__lte=today + datetime.timedelta(days=REPORT_DUE_DAYS),
    ).filter(~Exists(reported))
    fields = ("opinion_id", "unit_id", "due_on", "opinion__round", "opinion__title", "opinion__topic__plan__body_id")
    written = 0
    for rows in _batches(candidates, fields, batch_size):
        staff, officers = _office_and_unit_users(
            [row["opinion__topic__plan__body_id"] for row in rows], [row["unit_id"] for row in rows]
        )
        reminders = []
        for row in rows:
            overdue = row["due_on"] < today
            users = set(officers[row["unit_id"]])
            if overdue:
                users |= staff[row["opinion__topic__plan__body_id"]]
                title = _("Overdue: the implementation report on “%(title)s” (round %(round)s) was due on %(due)s")
            else:
                title = _("The implementation report on “%(title)s” (round %(round)s) is due on %(due)s")
            title = title % {"title": row["opinion__title"], "round": row["opinion__round"], "due": row["due_on"]}
            key = (
                f"supervision-implementation:{row['pk']}:{row['opinion__round']}:{row['due_on']}:"
                f"{'overdue' if overdue else 'due'}"
            )
            reminders.append(
                Reminder(recipient_ids=frozenset(users), kind="supervision.implementation_report", title=str(title),
                         dedupe_key=key, urgent=overdue)
            )
        written += notify_many(reminders)
    return written


def _committee_office_and_unit_users(body_ids, committee_ids, unit_ids):
    """Clerks per committee, office staff per body and officers per unit, in one query."""
    by_committee, staff, officers = defaultdict(set), defaultdict(set), defaultdict(set)
    grants = RoleGrant.objects.active().filter(user__is_active=True).filter(
        Q(role=Role.STAFF_CLERK, committee_id__in=set(committee_ids) - {None})
        | Q(role__in=(Role.STAFF_ADMIN, Role.STAFF_CLERK), body_id__in=set(body_ids))
        | Q(role=Role.UNIT_OFFICER, unit_id__in=set(unit_ids))
    )
    for role, body_id, committee_id, unit_id, user_id in grants.values_list(
        "role", "body_id", "committee_id", "unit_id", "user_id"
    ):
        if role == Role.UNIT_OFFICER:
            officers[unit_id].add(user_id)
            continue
        if committee_id is not None:
            by_committee[committee_id].add(user_id)
        if body_id is not None:
            staff[body_id].add(user_id)
    return by_committee, staff, officers


def _lead_staff(by_committee, staff, committee_id, body_id) -> set[int]:
    """The lead committee's clerks; the body's office when the committee has none (or no committee
    leads the topic), so that a reminder never goes nowhere."""
    return set(by_committee.get(committee_id) or ()) or set(staff[body_id])


def remind_follow_up_checks(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Tell the lead committee's staff and the opinion's units that a follow-up check (回头看) is
    due within `FOLLOW_UP_WARNING_DAYS`, and once more, urgently, when it is past and not done."""
    today = today or timezone.localdate()
    candidates = FollowUpCheck.objects.filter(
        state=FollowUpCheck.State.SCHEDULED,
        scheduled_on__lte=today + datetime.timedelta(days=FOLLOW_UP_WARNING_DAYS),
    )
    fields = ("opinion_id", "scheduled_on", "opinion__title", "opinion__topic__plan__body_id",
              "opinion__topic__lead_committee_id")
    written = 0
    for rows in _batches(candidates, fields, batch_size):
        opinion_units = defaultdict(set)
        for opinion_id, unit_id in OpinionUnit.objects.filter(
            opinion_id__in={row["opinion_id"] for row in rows}
        ).values_list("opinion_id", "unit_id"):
            opinion_units[opinion_id].add(unit_id)
        by_committee, staff, officers = _committee_office_and_unit_users(
            [row["opinion__topic__plan__body_id"] for row in rows],
            [row["opinion__topic__lead_committee_id"] for row in rows],
            {unit for units in opinion_units.values() for unit in units},
        )
        reminders = []
        for row in rows:
            overdue = row["scheduled_on"] < today
            users = _lead_staff(by_committee, staff, row["opinion__topic__lead_committee_id"],
                                row["opinion__topic__plan__body_id"])
            for unit_id in opinion_units[row["opinion_id"]]:
                users |= officers[unit_id]
            title = (
                _("Overdue: the follow-up check on “%(title)s” was scheduled for %(due)s")
                if overdue
                else _("Follow-up check on “%(title)s” on %(due)s")
            ) % {"title": row["opinion__title"], "due": row["scheduled_on"]}
            key = f"supervision-follow-up:{row['pk']}:{row['scheduled_on']}:{'overdue' if overdue else 'near'}"
            reminders.append(Reminder(recipient_ids=frozenset(users), kind="supervision.follow_up", title=str(title),
                                      dedupe_key=key, urgent=overdue))
        written += notify_many(reminders)
    return written


def remind_ledger_items(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind the owner unit's officers of a ledger item not done and due within `LEDGER_DUE_DAYS`;
    when it is overdue, tell them and the lead committee's staff once, urgently."""
    today = today or timezone.localdate()
    candidates = RectificationItem.objects.exclude(status=RectificationItem.Status.DONE).filter(
        due_on__lte=today + datetime.timedelta(days=LEDGER_DUE_DAYS)
    )
    fields = ("item", "owner_unit_id", "due_on", "opinion__topic__plan__body_id", "opinion__topic__lead_committee_id",
              "evaluation__topic__plan__body_id", "evaluation__topic__lead_committee_id")
    written = 0
    for rows in _batches(candidates, fields, batch_size):
        for row in rows:
            # A ledger line belongs to an opinion or to an evaluation; both reach a topic.
            row["body_id"] = row["opinion__topic__plan__body_id"] or row["evaluation__topic__plan__body_id"]
            row["committee_id"] = (row["opinion__topic__lead_committee_id"]
                                   or row["evaluation__topic__lead_committee_id"])
        by_committee, staff, officers = _committee_office_and_unit_users(
            [row["body_id"] for row in rows], [row["committee_id"] for row in rows],
            [row["owner_unit_id"] for row in rows],
        )
        reminders = []
        for row in rows:
            overdue = row["due_on"] < today
            users = set(officers[row["owner_unit_id"]])
            if overdue:
                users |= _lead_staff(by_committee, staff, row["committee_id"], row["body_id"])
                title = _("Overdue: the rectification item “%(item)s” was due on %(due)s")
            else:
                title = _("The rectification item “%(item)s” is due on %(due)s")
            title = title % {"item": row["item"][:60], "due": row["due_on"]}
            key = f"supervision-ledger:{row['pk']}:{row['due_on']}:{'overdue' if overdue else 'due'}"
            reminders.append(Reminder(recipient_ids=frozenset(users), kind="supervision.ledger_item",
                                      title=str(title), dedupe_key=key, urgent=overdue))
        written += notify_many(reminders)
    return written


def remind_inquiry_reports(*, today: datetime.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind the units questioned at a special inquiry that their handling report is due within
    `INQUIRY_REPORT_DUE_DAYS`; when it is overdue, tell them and the lead committee's staff once."""
    today = today or timezone.localdate()
    candidates = SpecialInquiry.objects.filter(
        handling_report_at__isnull=True, handling_report_due__isnull=False,
        handling_report_due__lte=today + datetime.timedelta(days=INQUIRY_REPORT_DUE_DAYS),
    )
    fields = ("handling_report_due", "topic__title", "topic__plan__body_id", "topic__lead_committee_id")
    written = 0
    for rows in _batches(candidates, fields, batch_size):
        questioned = defaultdict(set)
        for inquiry_id, unit_id in InquiryQuestion.objects.filter(
            inquiry_id__in=[row["pk"] for row in rows], unit__isnull=False
        ).values_list("inquiry_id", "unit_id"):
            questioned[inquiry_id].add(unit_id)
        by_committee, staff, officers = _committee_office_and_unit_users(
            [row["topic__plan__body_id"] for row in rows], [row["topic__lead_committee_id"] for row in rows],
            {unit for units in questioned.values() for unit in units},
        )
        reminders = []
        for row in rows:
            due = row["handling_report_due"]
            overdue = due < today
            users = set()
            for unit_id in questioned[row["pk"]]:
                users |= officers[unit_id]
            if overdue:
                users |= _lead_staff(by_committee, staff, row["topic__lead_committee_id"], row["topic__plan__body_id"])
                title = _("Overdue: the handling report of the special inquiry on “%(topic)s” was due on %(due)s")
            else:
                title = _("Special inquiry on “%(topic)s”: the handling report is due on %(due)s")
            title = title % {"topic": row["topic__title"], "due": due}
            key = f"supervision-inquiry-report:{row['pk']}:{due}:{'overdue' if overdue else 'due'}"
            reminders.append(Reminder(recipient_ids=frozenset(users), kind="supervision.inquiry_report",
                                      title=str(title), dedupe_key=key, urgent=overdue))
        written += notify_many(reminders)
    return written
