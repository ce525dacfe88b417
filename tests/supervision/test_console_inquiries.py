"""Special inquiries: the office schedules one at a meeting, records the questions and answers,
sets the handling report's due date, a questioned unit uploads the report, and the published
record shows on the public topic page; other units and unpublished inquiries stay hidden."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import Event, Notification
from congress.models.accounts import Role
from congress.workflow import TransitionForbidden
from supervision import services
from supervision.models import InquiryQuestion, SpecialInquiry
from tests.factories.congress import UnitFactory, user_with_role
from tests.factories.supervision import TopicFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def inquiry(topic, staff_clerk, meeting):
    return services.inquiry_create(actor=staff_clerk, topic=topic, date=datetime.date(2027, 6, 25), meeting=meeting)


@pytest.fixture
def questioned(inquiry, staff_clerk, member, health_bureau):
    services.inquiry_question_record(actor=staff_clerk, inquiry=inquiry, question="村卫生室缺医生怎么解决？",
                                     asked_by=member, unit=health_bureau, answering_official="局长 张三",
                                     answer="今年招聘50名乡村医生。")
    return inquiry


def test_staff_schedule_an_inquiry_from_the_topic_page(client, login, staff_clerk, topic, meeting):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:inquiry_create", args=[topic.pk]),
                           {"date": "2027-06-25", "meeting": meeting.pk, "report_due": "2027-09-25"})
    inquiry = SpecialInquiry.objects.get()
    assert response.status_code == 302
    assert (inquiry.topic, inquiry.meeting, inquiry.handling_report_due) == (topic, meeting,
                                                                           datetime.date(2027, 9, 25))
    assert Event.objects.for_object(topic).filter(verb="inquiry_created").exists()
    page = client.get(reverse("console:supervision:topic_detail", args=[topic.pk])).content.decode()
    assert reverse("console:supervision:inquiry_detail", args=[inquiry.pk]) in page


def test_a_report_due_before_the_inquiry_is_refused(client, login, staff_clerk, topic):
    login(client, staff_clerk)
    response = client.post(reverse("console:supervision:inquiry_create", args=[topic.pk]),
                           {"date": "2027-06-25", "report_due": "2027-06-01"})
    assert response.status_code == 400 and not SpecialInquiry.objects.exists()


def test_staff_record_a_question_asked_by_a_deputy(client, login, staff_clerk, inquiry, deputy, health_bureau):
    login(client, staff_clerk)
    client.post(reverse("console:supervision:inquiry_act", args=[inquiry.pk, "question"]), {
        "asked_by_deputy": deputy.pk, "question": "家庭医生签约率为何偏低？", "unit": health_bureau.pk,
        "answering_official": "副局长", "answer": "将扩大团队。",
    })
    question = InquiryQuestion.objects.get()
    assert (question.asked_by_deputy, question.unit, question.answering_official) == (deputy, health_bureau, "副局长")
    assert Event.objects.for_object(inquiry).filter(verb="question_recorded").exists()


def test_a_question_by_a_member_and_a_deputy_at_once_is_refused(client, login, staff_clerk, inquiry, deputy,
                                                                member):
    login(client, staff_clerk)
    client.post(reverse("console:supervision:inquiry_act", args=[inquiry.pk, "question"]), {
        "asked_by": member.pk, "asked_by_deputy": deputy.pk, "question": "问题",
    })
    assert not InquiryQuestion.objects.exists()


def test_setting_the_due_date_tells_the_questioned_unit(questioned, staff_clerk, unit_officer):
    services.inquiry_set_report_due(actor=staff_clerk, inquiry=questioned, due_on=datetime.date(2027, 9, 25))
    assert Notification.objects.filter(recipient=unit_officer, kind="supervision.inquiry_report").count() == 1


def test_the_questioned_unit_uploads_the_handling_report(client, login, questioned, unit_officer, settings,
                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, unit_officer)
    detail = client.get(reverse("console:supervision:inquiry_detail", args=[questioned.pk]))
    assert detail.status_code == 200 and detail.context["report_form"] is not None
    assert detail.context["question_form"] is None
    client.post(reverse("console:supervision:inquiry_act", args=[questioned.pk, "report"]), {
        "text": "已落实招聘计划。", "file": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    })
    questioned.refresh_from_db()
    assert questioned.handling_report == "已落实招聘计划。" and questioned.handling_report_at is not None
    download = client.get(reverse("console:supervision:inquiry_report_file", args=[questioned.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


def test_a_unit_not_questioned_cannot_report_and_sees_no_inquiry_of_another_topic(client, login, questioned,
                                                                                  district):
    other = user_with_role(Role.UNIT_OFFICER, username="edu", unit=UnitFactory(region=district, name="教育局"))
    login(client, other)
    assert client.get(reverse("console:supervision:inquiry_detail", args=[questioned.pk])).status_code == 404
    response = client.post(reverse("console:supervision:inquiry_act", args=[questioned.pk, "report"]), {"text": "x"})
    assert response.status_code == 404
    assert list(client.get(reverse("console:supervision:inquiry_list")).context["page_obj"]) == []
    with pytest.raises(TransitionForbidden):
        services.inquiry_handling_report(actor=other, inquiry=questioned, text="x")


def test_publishing_needs_questions_and_then_freezes_the_record(questioned, inquiry, staff_clerk, topic):
    empty = services.inquiry_create(actor=staff_clerk, topic=topic, date=datetime.date(2027, 7, 1))
    with pytest.raises(ValidationError):
        services.inquiry_publish(actor=staff_clerk, inquiry=empty)

    services.inquiry_publish(actor=staff_clerk, inquiry=questioned)
    services.inquiry_publish(actor=staff_clerk, inquiry=questioned)
    assert Event.objects.for_object(topic).filter(verb="inquiry_published").count() == 1
    with pytest.raises(ValidationError):
        services.inquiry_question_record(actor=staff_clerk, inquiry=questioned, question="补充问题")


def test_the_public_topic_page_shows_published_inquiries_only(client, plan, topic, questioned, staff_clerk):
    type(plan).objects.filter(pk=plan.pk).update(state="published")  # the plan's own workflow is tested elsewhere
    url = reverse("public:supervision:topic", args=[topic.pk])
    assert "村卫生室缺医生怎么解决" not in client.get(url).content.decode()
    services.inquiry_publish(actor=staff_clerk, inquiry=questioned)
    page = client.get(url).content.decode()
    assert "村卫生室缺医生怎么解决" in page and "今年招聘50名乡村医生" in page


def test_readers_see_but_cannot_act(client, login, member, questioned):
    login(client, member)
    detail = client.get(reverse("console:supervision:inquiry_detail", args=[questioned.pk]))
    assert detail.status_code == 200 and detail.context["question_form"] is None
    response = client.post(reverse("console:supervision:inquiry_act", args=[questioned.pk, "publish"]))
    assert response.status_code == 403
    questioned.refresh_from_db()
    assert questioned.published_at is None


def test_the_inquiry_list_filters_by_year_and_costs_a_bounded_number_of_queries(
    client, login, staff_clerk, plan, district_body, health_bureau, member, django_assert_max_num_queries
):
    def add(count, year):
        from tests.factories.supervision import AnnualPlanFactory

        year_plan = AnnualPlanFactory(body=district_body, year=year)
        for n in range(count):
            topic = TopicFactory(plan=year_plan, title=f"议题{year}-{n}")
            inquiry = services.inquiry_create(actor=staff_clerk, topic=topic, date=datetime.date(year, 6, 1))
            services.inquiry_question_record(actor=staff_clerk, inquiry=inquiry, question="问题", asked_by=member,
                                             unit=health_bureau)

    login(client, staff_clerk)
    add(2, 2027)
    url = reverse("console:supervision:inquiry_list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(15, 2026)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"year": "2027"})
    assert len(response.context["page_obj"]) == 2
