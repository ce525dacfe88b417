"""Special inquiries (专题询问): scheduled for a topic at a standing-committee meeting, the members'
and deputies' questions with the officials' answers, the units' handling report afterwards
(研究处理情况报告, due on a date the office sets), and publication."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Session, Unit
from congress.notifications.services import notify
from congress.uploads import validate_upload
from congress.workflow import record_event
from supervision import permissions
from supervision.models import InquiryQuestion, SpecialInquiry, Topic
from supervision.services.common import forbid_unless, unit_officer_ids


def _refuse_if_published(inquiry: SpecialInquiry) -> None:
    if inquiry.published_at is not None:
        raise ValidationError(_("The inquiry is published; its record can no longer change."), code="published")


@transaction.atomic
def inquiry_create(
    *, actor, topic: Topic, date: datetime.date, meeting: Session | None = None,
    report_due: datetime.date | None = None,
) -> SpecialInquiry:
    forbid_unless(permissions.can_work_topic(actor, topic))
    if report_due is not None and report_due < date:
        raise ValidationError({"report_due": _("The handling report is due after the inquiry.")})
    inquiry = SpecialInquiry.objects.create(topic=topic, date=date, meeting=meeting, handling_report_due=report_due)
    record_event(topic, actor=actor, verb="inquiry_created", data={"inquiry": inquiry.pk})
    return inquiry


@transaction.atomic
def inquiry_question_record(
    *, actor, inquiry: SpecialInquiry, question: str, asked_by=None, asked_by_deputy=None, unit: Unit | None = None,
    answering_official: str = "", answer: str = "",
) -> InquiryQuestion:
    """One question as asked at the meeting: who asked (a member or a deputy), who answered for
    which unit, and a summary of the answer. The questioned unit is added to the topic's units."""
    forbid_unless(permissions.can_work_topic(actor, inquiry.topic))
    inquiry = SpecialInquiry.objects.select_for_update().get(pk=inquiry.pk)
    _refuse_if_published(inquiry)
    if not (question or "").strip():
        raise ValidationError({"question": _("Record the question.")})
    if asked_by is not None and asked_by_deputy is not None:
        raise ValidationError(_("A question is asked by a member or by a deputy, not both."))
    row = InquiryQuestion.objects.create(
        inquiry=inquiry, question=question.strip(), asked_by=asked_by, asked_by_deputy=asked_by_deputy, unit=unit,
        answering_official=(answering_official or "").strip()[:100], answer=(answer or "").strip(),
    )
    record_event(inquiry, actor=actor, verb="question_recorded", data={"question": row.pk})
    return row


@transaction.atomic
def inquiry_set_report_due(*, actor, inquiry: SpecialInquiry, due_on: datetime.date) -> SpecialInquiry:
    """Set when the questioned units owe their handling report, and tell their officers."""
    forbid_unless(permissions.can_work_topic(actor, inquiry.topic))
    if due_on < inquiry.date:
        raise ValidationError({"due_on": _("The handling report is due after the inquiry.")})
    SpecialInquiry.objects.filter(pk=inquiry.pk).update(handling_report_due=due_on, updated_at=timezone.now())
    inquiry.refresh_from_db()
    record_event(inquiry, actor=actor, verb="report_due_set", data={"due": str(due_on)})
    recipients = unit_officer_ids(inquiry.questions.exclude(unit=None).values_list("unit_id", flat=True))
    if recipients:
        notify(recipients=recipients, kind="supervision.inquiry_report",
               title=_("Special inquiry on “%(topic)s”: the handling report is due on %(due)s")
               % {"topic": inquiry.topic.title, "due": due_on},
               dedupe_key=f"inquiry-report-due:{inquiry.pk}:{due_on}")
    return inquiry


@transaction.atomic
def inquiry_handling_report(*, actor, inquiry: SpecialInquiry, text: str, upload=None) -> SpecialInquiry:
    """The handling report: written by the office or uploaded by a unit that was questioned."""
    forbid_unless(permissions.can_report_inquiry(actor, inquiry))
    inquiry = SpecialInquiry.objects.select_for_update().get(pk=inquiry.pk)
    _refuse_if_published(inquiry)
    if not (text or "").strip() and upload is None:
        raise ValidationError({"text": _("Write the report or attach its file.")})
    if upload is not None:
        validate_upload(upload)
        inquiry.handling_report_file = upload
    inquiry.handling_report = (text or "").strip() or inquiry.handling_report
    inquiry.handling_report_at = timezone.now()
    inquiry.save(update_fields=["handling_report", "handling_report_file", "handling_report_at", "updated_at"])
    record_event(inquiry, actor=actor, verb="handling_report_recorded")
    return inquiry


@transaction.atomic
def inquiry_publish(*, actor, inquiry: SpecialInquiry) -> SpecialInquiry:
    """Publish the inquiry with its questions and answers (and the handling report once it is in).
    A second publication does nothing."""
    forbid_unless(permissions.can_work_topic(actor, inquiry.topic))
    if not inquiry.questions.exists():
        raise ValidationError(_("Record the questions before publishing the inquiry."))
    if SpecialInquiry.objects.filter(pk=inquiry.pk, published_at__isnull=True).update(
        published_at=timezone.now(), updated_at=timezone.now()
    ):
        record_event(inquiry.topic, actor=actor, verb="inquiry_published", data={"inquiry": inquiry.pk})
    inquiry.refresh_from_db()
    return inquiry
