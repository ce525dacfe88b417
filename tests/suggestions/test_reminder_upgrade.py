"""Upgrading from the `ReminderLog` sweeps: a reminder already sent is not sent again by the new ones."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from congress.models import Notification
from suggestions.models import Assignment, Proposal
from suggestions.services import reminders

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("suggestions", "0004_face_to_face_sessions")
AFTER = ("suggestions", "0006_drop_reminder_log")
TODAY = datetime.date(2026, 3, 16)


@pytest.fixture
def before_the_upgrade():
    """The database as it was with the reminder log; migrated forward again whatever happens."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        yield executor.loader.project_state([BEFORE]).apps
    finally:
        MigrationExecutor(connection).migrate([AFTER])


def test_reminders_sent_before_the_upgrade_keep_their_claim(
    before_the_upgrade, district_body, term, deputy, health_bureau, session_1, unit_officer
):
    proposal = Proposal.objects.create(body=district_body, term=term, session=session_1, lead_deputy=deputy,
                                       title="建议", content="内容", state=Proposal.State.HANDLING)
    assignment = Assignment.objects.create(
        proposal=proposal, unit=health_bureau, role=Assignment.Role.LEAD, state=Assignment.State.HANDLING,
        assigned_on=TODAY - datetime.timedelta(days=60), objection_due=TODAY - datetime.timedelta(days=50),
        reply_due=TODAY + datetime.timedelta(days=10), max_due=TODAY + datetime.timedelta(days=120),
    )
    log = before_the_upgrade.get_model("suggestions", "ReminderLog").objects.create(
        kind="reply_due", object_id=assignment.pk, threshold=f"14:{assignment.reply_due}", sent_at=timezone.now()
    )
    sent = Notification.objects.create(recipient=unit_officer, kind="suggestions.reminder.reply_due", title="旧提醒",
                                       dedupe_key=f"reminder:{log.pk}")
    other = Notification.objects.create(recipient=unit_officer, kind="reply_due", title="别的", dedupe_key="reminder:x")

    MigrationExecutor(connection).migrate([AFTER])

    sent.refresh_from_db()
    other.refresh_from_db()
    assert sent.dedupe_key == reminders.reminder_key("reply_due", assignment.pk, f"14:{assignment.reply_due}")
    assert other.dedupe_key == "reminder:x"
    assert reminders.sweep(reminders.Kind.REPLY_DUE, today=TODAY)["notifications"] == 0
    assert Notification.objects.filter(recipient=unit_officer).count() == 2
