"""Console pages of special inquiries (专题询问).

The office schedules an inquiry on a topic for a standing-committee meeting, records each question
as it was asked (a member or a deputy), who answered for which unit and what they said, sets the
date the units' handling report is due, and publishes the record. A unit that was questioned
uploads its handling report here. Everyone reads the inquiries of the topics they may read; any
other inquiry is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.uploads import serve_upload
from congress.views.support import apply_validation_error, error_text, int_param, page, run_service
from congress.workflow import WorkflowError
from supervision import permissions, selectors, services
from supervision.forms import InquiryDueForm, InquiryForm, InquiryQuestionForm, InquiryReportForm
from supervision.models import SpecialInquiry
from supervision.services.common import member_ids

readers = access.require(permissions.can_read_supervision)


@readers
def inquiry_list(request):
    year, topic_id = int_param(request, "year"), int_param(request, "topic")
    inquiries = selectors.inquiries(request.user, year=year, topic_id=topic_id)
    return render(request, "console/supervision/inquiry_list.html", {
        "page_obj": page(request, inquiries), "year": year, "topic_id": topic_id,
        "years": sorted(set(selectors.inquiries(request.user).values_list("topic__plan__year", flat=True)),
                        reverse=True),
    })


@readers
def inquiry_create(request, pk):
    topic = selectors.visible_topics(request.user).filter(pk=pk).first()
    if topic is None or not permissions.can_work_topic(request.user, topic):
        raise Http404
    form = InquiryForm(request.POST or None, body=topic.plan.body,
                       initial={"date": topic.meeting_date, "meeting": topic.meeting_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = services.inquiry_create(actor=request.user, topic=topic, date=data["date"],
                                              meeting=data["meeting"], report_due=data["report_due"])
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("console:supervision:inquiry_detail", inquiry.pk)
    return render(request, "console/supervision/inquiry_form.html", {"topic": topic, "form": form},
                  status=400 if request.method == "POST" else 200)


def _inquiry_or_404(user, pk) -> SpecialInquiry:
    inquiry = selectors.inquiry_detail(user, pk)
    if inquiry is None:
        raise Http404
    return inquiry


def _question_form(inquiry, data=None):
    body = inquiry.topic.plan.body
    return InquiryQuestionForm(data, body=body, member_ids=member_ids(body))


@readers
def inquiry_detail(request, pk):
    inquiry = _inquiry_or_404(request.user, pk)
    can_work = permissions.can_work_topic(request.user, inquiry.topic)
    editable = inquiry.published_at is None
    return render(request, "console/supervision/inquiry_detail.html", {
        "inquiry": inquiry,
        "can_work": can_work,
        "question_form": _question_form(inquiry) if can_work and editable else None,
        "due_form": InquiryDueForm(initial={"due_on": inquiry.handling_report_due}) if can_work and editable else None,
        "report_form": InquiryReportForm() if editable and permissions.can_report_inquiry(request.user, inquiry)
        else None,
    })


@readers
@require_POST
def inquiry_act(request, pk, action):
    inquiry = _inquiry_or_404(request.user, pk)
    actor = request.user
    if action == "question":
        form = _question_form(inquiry, request.POST)
        if form.is_valid():
            run_service(request, lambda: services.inquiry_question_record(actor=actor, inquiry=inquiry,
                                                                          **form.cleaned_data),
                        _("The question was recorded."))
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    elif action == "due":
        form = InquiryDueForm(request.POST)
        if form.is_valid():
            run_service(request, lambda: services.inquiry_set_report_due(actor=actor, inquiry=inquiry,
                                                                         due_on=form.cleaned_data["due_on"]),
                        _("The due date was set."))
        else:
            messages.error(request, _("Enter the date the handling report is due."))
    elif action == "report":
        form = InquiryReportForm(request.POST, request.FILES)
        if form.is_valid():
            run_service(request, lambda: services.inquiry_handling_report(
                actor=actor, inquiry=inquiry, text=form.cleaned_data["text"], upload=form.cleaned_data["file"]),
                _("The handling report was recorded."))
        else:
            messages.error(request, _("Correct the report and send it again."))
    elif action == "publish":
        run_service(request, lambda: services.inquiry_publish(actor=actor, inquiry=inquiry),
                    _("The inquiry was published."))
    else:
        raise Http404
    return redirect("console:supervision:inquiry_detail", inquiry.pk)


@readers
def inquiry_report_file(request, pk):
    """The uploaded handling report, to those who may read the inquiry, never as a page (S16)."""
    return serve_upload(_inquiry_or_404(request.user, pk).handling_report_file)


urlpatterns = [
    path("inquiries/", inquiry_list, name="inquiry_list"),
    path("topics/<int:pk>/inquiries/new/", inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/file/", inquiry_report_file, name="inquiry_report_file"),
    path("inquiries/<int:pk>/<str:action>/", inquiry_act, name="inquiry_act"),
]
