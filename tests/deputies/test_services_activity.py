import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Event, Notification
from congress.workflow import IllegalTransition, TransitionForbidden
from deputies import services
from deputies.models import ActivityKind, ContactLog, DutyActivity, DutyParticipation
from tests.factories.congress import UnitFactory
from tests.factories.deputies import ContactPairFactory, DeputyFactory

Attendance = DutyParticipation.Attendance
DAY = datetime.date(2026, 3, 2)


# ---- automatic recording -------------------------------------------------------------------


def test_recording_the_same_source_twice_leaves_one_activity(district_body, health_bureau):
    deputy = DeputyFactory(body=district_body)
    source = health_bureau  # any model instance stands for the object that caused the activity
    first = services.record_duty_activity(
        deputy=deputy, kind=ActivityKind.SUGGESTION, date=DAY, title="关于增设公交线路的建议", source_object=source
    )
    second = services.record_duty_activity(
        deputy=deputy, kind=ActivityKind.SUGGESTION, date=DAY, title="关于增设公交线路的建议", source_object=source
    )
    assert first.pk == second.pk
    assert first.source == DutyActivity.Source.AUTOMATIC and first.state == DutyActivity.State.VERIFIED
    assert DutyParticipation.objects.filter(deputy=deputy).count() == 1
    assert Event.objects.for_object(first).filter(verb="participant_added").count() == 1


def test_co_signers_share_the_activity_of_one_source(district_body):
    source = UnitFactory()
    lead, co_signer = DeputyFactory(body=district_body), DeputyFactory(body=district_body)
    for person in (lead, co_signer, lead):
        services.record_duty_activity(
            deputy=person, kind=ActivityKind.SUGGESTION, date=DAY, title="建议", source_object=source
        )
    activity = DutyActivity.objects.get()
    assert set(activity.participations.values_list("deputy", flat=True)) == {lead.pk, co_signer.pk}


def test_one_source_counts_separately_for_each_kind_and_congress(district_body, township_body_a):
    source = UnitFactory()
    district_mandate, township_mandate = DeputyFactory(body=district_body), DeputyFactory(body=township_body_a)
    services.record_duty_activity(deputy=district_mandate, kind="station_reception", date=DAY, title="接待",
                                  source_object=source)
    services.record_duty_activity(deputy=township_mandate, kind="station_reception", date=DAY, title="接待",
                                  source_object=source)
    services.record_duty_activity(deputy=district_mandate, kind="voter_visit", date=DAY, title="走访",
                                  source_object=source)
    assert DutyActivity.objects.count() == 3


def test_a_deputy_of_another_congress_is_refused(district_body, township_body_a):
    deputy = DeputyFactory(body=township_body_a)
    with pytest.raises(ValidationError):
        services.record_duty_activity(deputy=deputy, kind="inspection", date=DAY, title="视察", body=district_body)


# ---- staff entry and the absence alert -----------------------------------------------------


def _session(actor, body, attendance, number):
    return services.activity_create(
        actor=actor, body=body, kind=ActivityKind.SESSION, date=DAY + datetime.timedelta(days=number),
        title=f"第{number}次会议", participants=attendance,
    )


def test_staff_enter_an_activity_with_attendance(staff_clerk, district_body):
    present, on_leave = DeputyFactory(body=district_body), DeputyFactory(body=district_body)
    activity = services.activity_create(
        actor=staff_clerk, body=district_body, kind=ActivityKind.INSPECTION, date=DAY, title="视察农村公路",
        participants={present: Attendance.PRESENT, on_leave: Attendance.LEAVE_APPROVED},
    )
    assert activity.source == DutyActivity.Source.STAFF and activity.state == DutyActivity.State.VERIFIED
    assert dict(activity.participations.values_list("deputy", "attendance")) == {
        present.pk: "present", on_leave.pk: "leave_approved",
    }
    assert Event.objects.for_object(activity).get().verb == "created"


def test_township_officer_cannot_enter_district_activities(township_officer_a, district_body):
    deputy = DeputyFactory(body=district_body)
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=township_officer_a, body=district_body, kind="inspection", date=DAY, title="视察",
            participants=[deputy],
        )


def test_second_unexcused_session_absence_alerts_staff_once(staff_admin, staff_clerk, member, district_body):
    absentee = DeputyFactory(body=district_body, name="缺席代表")
    _session(staff_clerk, district_body, {absentee: Attendance.ABSENT}, 1)
    assert not Notification.objects.filter(kind="deputies.unexcused_absence").exists()
    _session(staff_clerk, district_body, {absentee: Attendance.ABSENT}, 2)
    alerts = Notification.objects.filter(kind="deputies.unexcused_absence")
    assert set(alerts.values_list("recipient", flat=True)) == {staff_admin.pk, staff_clerk.pk}
    assert "缺席代表" in alerts.first().title
    _session(staff_clerk, district_body, {absentee: Attendance.ABSENT}, 3)
    assert alerts.count() == 2


def test_absences_with_approved_leave_raise_no_alert(staff_admin, staff_clerk, district_body):
    deputy = DeputyFactory(body=district_body)
    _session(staff_clerk, district_body, {deputy: Attendance.ABSENT}, 1)
    _session(staff_clerk, district_body, {deputy: Attendance.LEAVE_APPROVED}, 2)
    services.activity_create(
        actor=staff_clerk, body=district_body, kind=ActivityKind.INSPECTION, date=DAY, title="视察",
        participants={deputy: Attendance.ABSENT},
    )
    assert not Notification.objects.filter(kind="deputies.unexcused_absence").exists()


def test_correcting_attendance_to_absent_can_raise_the_alert(staff_admin, staff_clerk, district_body):
    deputy = DeputyFactory(body=district_body)
    _session(staff_clerk, district_body, {deputy: Attendance.ABSENT}, 1)
    second = _session(staff_clerk, district_body, {deputy: Attendance.LEAVE_APPROVED}, 2)
    participation = second.participations.get()
    services.participation_set_attendance(
        actor=staff_clerk, participation=participation, attendance=Attendance.ABSENT, note="请假未获批准"
    )
    assert Notification.objects.filter(kind="deputies.unexcused_absence", recipient=staff_admin).count() == 1
    event = Event.objects.for_object(second).get(verb="attendance_changed")
    assert (event.from_state, event.to_state) == ("leave_approved", "absent")


def test_township_absence_alert_goes_to_the_towns_officer(staff_admin, township_officer_a, township_body_a):
    deputy = DeputyFactory(body=township_body_a)
    for number in (1, 2):
        _session(township_officer_a, township_body_a, {deputy: Attendance.ABSENT}, number)
    recipients = set(Notification.objects.filter(kind="deputies.unexcused_absence").values_list("recipient", flat=True))
    assert recipients == {township_officer_a.pk}


# ---- self-reported activities --------------------------------------------------------------


def _report(deputy_user, deputy, **fields):
    fields.setdefault("kind", ActivityKind.VOTER_VISIT)
    return services.activity_self_report(actor=deputy_user, deputy=deputy, date=DAY, title="走访选民", **fields)


def test_a_self_report_waits_for_verification(deputy_user, deputy):
    activity = _report(deputy_user, deputy)
    assert activity.state == DutyActivity.State.PENDING
    assert activity.source == DutyActivity.Source.SELF_REPORTED
    assert activity.participations.get().deputy == deputy


def test_staff_verify_a_self_report(staff_clerk, deputy_user, deputy):
    activity = _report(deputy_user, deputy)
    services.activity_verify(actor=staff_clerk, activity=activity)
    activity.refresh_from_db()
    assert activity.state == DutyActivity.State.VERIFIED and activity.verified_by == staff_clerk
    event = Event.objects.for_object(activity).get(verb="verified")
    assert (event.from_state, event.to_state) == ("pending", "verified")


def test_staff_reject_with_a_reason_and_the_deputy_is_told(staff_clerk, deputy_user, deputy):
    activity = _report(deputy_user, deputy)
    with pytest.raises(ValidationError):
        services.activity_reject(actor=staff_clerk, activity=activity, reason="")
    services.activity_reject(actor=staff_clerk, activity=activity, reason="缺少活动照片")
    activity.refresh_from_db()
    assert activity.state == DutyActivity.State.REJECTED and activity.rejection_reason == "缺少活动照片"
    told = Notification.objects.get(recipient=deputy_user, kind="deputies.activity_rejected")
    assert told.body == "缺少活动照片"


def test_a_verified_report_cannot_be_rejected_or_verified_again(staff_clerk, deputy_user, deputy):
    activity = _report(deputy_user, deputy)
    services.activity_verify(actor=staff_clerk, activity=activity)
    with pytest.raises(IllegalTransition):
        services.activity_reject(actor=staff_clerk, activity=activity, reason="重复")
    with pytest.raises(IllegalTransition):
        services.activity_verify(actor=staff_clerk, activity=activity)


def test_a_rejected_report_is_resubmitted_by_its_reporter_only(staff_clerk, deputy_user, deputy):
    activity = _report(deputy_user, deputy)
    services.activity_reject(actor=staff_clerk, activity=activity, reason="缺少活动照片")
    with pytest.raises(IllegalTransition):
        services.activity_verify(actor=staff_clerk, activity=activity)
    with pytest.raises(TransitionForbidden):
        services.activity_resubmit(actor=staff_clerk, activity=activity, title="改")
    services.activity_resubmit(actor=deputy_user, activity=activity, description="补充说明")
    activity.refresh_from_db()
    assert activity.state == DutyActivity.State.PENDING and activity.rejection_reason == ""


def test_deputies_and_other_towns_cannot_verify(deputy_user, deputy, township_officer_a):
    activity = _report(deputy_user, deputy)
    for outsider in (deputy_user, township_officer_a):
        with pytest.raises(TransitionForbidden):
            services.activity_verify(actor=outsider, activity=activity)
    assert DutyActivity.objects.get(pk=activity.pk).state == DutyActivity.State.PENDING


def test_meetings_and_proposals_are_not_self_reported(deputy_user, deputy):
    for kind in (ActivityKind.SESSION, ActivityKind.SUGGESTION):
        with pytest.raises(ValidationError):
            _report(deputy_user, deputy, kind=kind)
    assert not DutyActivity.objects.exists()


def test_only_the_deputy_reports_for_their_own_serving_mandate(deputy_user, deputy, member, district_body):
    with pytest.raises(PermissionDenied):
        _report(member, deputy)
    other = DeputyFactory(body=district_body)
    with pytest.raises(PermissionDenied):
        _report(deputy_user, other)
    deputy.status = deputy.Status.RESIGNED
    with pytest.raises(PermissionDenied):
        _report(deputy_user, deputy)


# ---- 双联系 ---------------------------------------------------------------------------------


def test_a_contact_log_counts_for_both_member_and_deputy(district_body, staff_clerk):
    pair = ContactPairFactory(body=district_body)
    log = services.contact_log_create(actor=staff_clerk, pair=pair, date=DAY, channel="phone", content="电话联系")
    assert log.logged_side == ContactLog.Side.STAFF
    activity = DutyActivity.objects.get(kind=ActivityKind.COMMITTEE_CONTACT)
    assert set(activity.participations.values_list("deputy", flat=True)) == {pair.member_id, pair.deputy_id}


def test_only_standing_committee_members_are_assigned_deputies(staff_admin, district_body):
    not_member, deputy = DeputyFactory(body=district_body), DeputyFactory(body=district_body)
    with pytest.raises(ValidationError):
        services.contact_pair_create(actor=staff_admin, body=district_body, year=2026, member=not_member, deputy=deputy)


def test_outsiders_cannot_log_a_pairs_contact(district_body, township_officer_a):
    pair = ContactPairFactory(body=district_body)
    with pytest.raises(PermissionDenied):
        services.contact_log_create(actor=township_officer_a, pair=pair, date=DAY, channel="visit", content="走访")
