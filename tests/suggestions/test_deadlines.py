"""Deadlines counted by the statutory rule, stored with their basis."""

import datetime

import pytest

from congress.models import WorkingDayOverride
from suggestions import services

pytestmark = pytest.mark.django_db


def test_seven_working_days_run_across_the_spring_festival_2026(flow):
    # Thu 12 Feb: Fri 13 (1), make-up Sat 14 (2), holiday 15–23, Tue 24 … Fri 27 (3–6), make-up Sat 28 (7).
    proposal = flow.accepted(recess=True, received_on=datetime.date(2026, 2, 12))
    assert proposal.intake_due == datetime.date(2026, 2, 28)
    assert proposal.intake_due_basis == {
        "rule": "assignment_working_days", "label": proposal.intake_due_basis["label"], "value": 7,
        "unit": "working_days", "start": "2026-02-12",
    }


def test_objection_window_counts_working_days_across_the_holiday(flow):
    assignment = flow.assigned(assigned_on=datetime.date(2026, 2, 12))
    assert assignment.objection_due == datetime.date(2026, 2, 28)


def test_staff_calendar_overrides_move_working_day_deadlines(flow):
    WorkingDayOverride.objects.create(day=datetime.date(2026, 3, 3), is_working_day=False, reason="台风停工")
    assignment = flow.assigned(assigned_on=datetime.date(2026, 3, 2))
    assert assignment.objection_due == datetime.date(2026, 3, 12)


def test_three_months_from_november_30_clamps_to_february_28(flow):
    assignment = flow.assigned(assigned_on=datetime.date(2025, 11, 30))
    assert assignment.reply_due == datetime.date(2026, 2, 28)
    assert assignment.reply_due_basis["value"] == 3 and assignment.reply_due_basis["unit"] == "months"


def test_extension_cap_is_six_calendar_months_after_assignment_clamped(flow):
    assignment = flow.assigned(assigned_on=datetime.date(2025, 8, 31))
    assert assignment.max_due == datetime.date(2026, 2, 28)
    with pytest.raises(services.ExtensionBeyondCap):
        services.extension_request(actor=flow.unit_officer, assignment=assignment,
                                   requested_due=datetime.date(2026, 3, 1), reason="复杂")


def test_a_changed_rule_never_moves_an_existing_deadline(flow, district_body):
    from congress.rules import rules_for

    assignment = flow.assigned(assigned_on=datetime.date(2026, 3, 2))
    rules = rules_for(district_body)
    rules.reply_months = 2
    rules.save()
    assignment.refresh_from_db()
    assert assignment.reply_due == datetime.date(2026, 6, 2)
    assert assignment.reply_due_basis["value"] == 3
