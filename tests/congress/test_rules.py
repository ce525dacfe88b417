"""Per-body rules and the deadlines they produce, each carrying its basis (DESIGN §2, STYLE §14)."""

import datetime
import json

import pytest

from congress import rules
from congress.models import Body, BodyRules

D = datetime.date

# The numbers DESIGN §3–§6 names, field by field.
DESIGN_DEFAULTS = {
    "motion_min_signers_district": 10,
    "motion_min_signers_township": 5,
    "assignment_working_days": 7,
    "objection_working_days": 7,
    "co_handler_opinion_months": 2,
    "reply_months": 3,
    "extension_max_months": 6,
    "evaluation_working_days": 15,
    "rehandling_order_working_days": 5,
    "rehandling_reply_months": 1,
    "implementation_report_months": 3,
    "report_to_committee_days": 20,
    "report_to_standing_committee_days": 10,
    "report_to_members_days": 7,
    "opinion_ack_working_days": 3,
    "opinion_answer_working_days": 15,
    "shift_notice_days": 3,
    "min_receptions_per_year": 2,
    "score_good_threshold": 80,
    "score_fair_threshold": 60,
    "outstanding_quota_percent": 20,
    "voter_report_min_representatives": 50,
    "unexcused_absence_alert": 2,
    "contact_pair_yearly_minimum": 2,
}


def test_rules_for_creates_the_design_defaults(district_body):
    assert not BodyRules.objects.filter(body=district_body).exists()

    body_rules = rules.rules_for(district_body)

    assert BodyRules.objects.filter(body=district_body).count() == 1
    assert {name: getattr(body_rules, name) for name in DESIGN_DEFAULTS} == DESIGN_DEFAULTS


def test_rules_for_is_fetched_once_per_body_object(district_body, django_assert_num_queries):
    first = rules.rules_for(district_body)

    with django_assert_num_queries(0):
        again = rules.rules_for(district_body)

    assert again is first
    reloaded = Body.objects.get(pk=district_body.pk)
    assert rules.rules_for(reloaded).pk == first.pk
    assert BodyRules.objects.count() == 1


def test_each_body_has_its_own_rules(district_body, township_body_a):
    township_rules = rules.rules_for(township_body_a)
    township_rules.reply_months = 2
    township_rules.save()

    assert rules.rules_for(Body.objects.get(pk=district_body.pk)).reply_months == 3
    assert rules.rules_for(Body.objects.get(pk=township_body_a.pk)).reply_months == 2


def test_months_after_stores_its_basis(district_body):
    deadline = rules.months_after(district_body, "reply_months", D(2026, 11, 30))

    assert deadline.due == D(2027, 2, 28)
    assert deadline.basis == {
        "rule": "reply_months",
        "label": str(BodyRules._meta.get_field("reply_months").verbose_name),
        "value": 3,
        "unit": "months",
        "start": "2026-11-30",
    }


def test_working_days_after_counts_working_days_and_stores_its_basis(district_body):
    # Received Thursday 12 Feb 2026, the week before the Spring Festival.
    deadline = rules.working_days_after(district_body, "assignment_working_days", D(2026, 2, 12))

    assert deadline.due == D(2026, 2, 28)  # a make-up Saturday
    assert deadline.basis["rule"] == "assignment_working_days"
    assert (deadline.basis["value"], deadline.basis["unit"], deadline.basis["start"]) == (
        7,
        "working_days",
        "2026-02-12",
    )


def test_days_before_counts_back_from_the_meeting(district_body):
    # Supervision Law art. 15: the report reaches the committee 20 days before the meeting.
    deadline = rules.days_before(district_body, "report_to_committee_days", D(2026, 6, 25))

    assert deadline.due == D(2026, 6, 5)
    assert (deadline.basis["value"], deadline.basis["unit"], deadline.basis["start"]) == (-20, "days", "2026-06-25")


def test_basis_survives_a_json_round_trip(district_body):
    # Records keep the basis in a JSONField next to the date.
    deadline = rules.months_after(district_body, "reply_months", D(2026, 3, 15))

    assert json.loads(json.dumps(deadline.basis)) == deadline.basis


def test_describe_names_the_start_the_amount_and_the_rule(district_body):
    deadline = rules.months_after(district_body, "reply_months", D(2026, 3, 15))

    text = deadline.describe()

    assert "2026-03-15" in text
    assert "3" in text
    assert str(BodyRules._meta.get_field("reply_months").verbose_name) in text


@pytest.mark.parametrize("unit_rule", ["assignment_working_days", "reply_months", "report_to_members_days"])
def test_describe_works_for_every_unit(district_body, unit_rule):
    start = D(2026, 3, 16)
    if unit_rule.endswith("working_days"):
        deadline = rules.working_days_after(district_body, unit_rule, start)
    elif unit_rule.endswith("months"):
        deadline = rules.months_after(district_body, unit_rule, start)
    else:
        deadline = rules.days_before(district_body, unit_rule, start)

    assert "2026-03-16" in deadline.describe()


def test_editing_the_rules_later_does_not_move_a_computed_deadline(district_body):
    deadline = rules.months_after(district_body, "reply_months", D(2026, 3, 15))
    stored = json.loads(json.dumps({"due": deadline.due.isoformat(), "basis": deadline.basis}))

    body_rules = rules.rules_for(district_body)
    body_rules.reply_months = 4
    body_rules.save()

    assert deadline.due == D(2026, 6, 15)
    assert deadline.basis["value"] == 3
    assert stored == {"due": "2026-06-15", "basis": deadline.basis}
    # New deadlines follow the new rule, on this body object and on a fresh one.
    assert rules.months_after(district_body, "reply_months", D(2026, 3, 15)).due == D(2026, 7, 15)
    fresh = Body.objects.get(pk=district_body.pk)
    later = rules.months_after(fresh, "reply_months", D(2026, 3, 15))
    assert (later.due, later.basis["value"]) == (D(2026, 7, 15), 4)
