"""Public supervision pages, phone-first and without login: the open solicitations and the
published plans, a citizen's topic proposal (phone optional, verified by SMS code), a published
plan with its topics by kind and their milestones, and a published topic's opinions and votes.

Only topics of a published plan, opinions marked published and vote results marked published are
shown (supervision.permissions / selectors with an anonymous user). The proposal form and the
SMS-code request are rate limited per address (SECURITY S14).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import access, ratelimit, security_log
from congress.models import Body
from congress.views.support import apply_validation_error
from congress.workflow import WorkflowError
from contact_stations.services.sms_codes import SmsCodeRejected, sms_code_request, sms_code_verify
from supervision import selectors, services
from supervision.forms import PhoneForm, PublicProposalForm
from supervision.models import AnnualPlan, DeliberationOpinion, SolicitationWindow, TopicKind
from supervision.permissions import PUBLISHED_PLAN_STATES
from supervision.services.common import today

SUBMIT_RATE = "10/h"
SMS_RATE = "10/h"
RECEIPT_SESSION_KEY = "supervision_proposal"


def _anonymous():
    return AnonymousUser()


@access.public
def index(request):
    day = today()
    windows = (
        SolicitationWindow.objects.filter(opens_on__lte=day, closes_on__gte=day, closed_at__isnull=True)
        .select_related("body").order_by("body__level", "body__name")
    )
    plans = AnnualPlan.objects.filter(state__in=PUBLISHED_PLAN_STATES).select_related("body").order_by(
        "-year", "body__level", "body__name"
    )
    return render(request, "public/supervision/index.html", {"windows": windows, "plans": plans})


def _open_window_or_404(body_pk) -> SolicitationWindow:
    body = get_object_or_404(Body, pk=body_pk)
    day = today()
    window = SolicitationWindow.objects.filter(
        body=body, opens_on__lte=day, closes_on__gte=day, closed_at__isnull=True
    ).select_related("body").first()
    if window is None:
        raise Http404
    return window


def _propose_context(window, form, **extra):
    return {
        "window": window, "form": form,
        "submit_url": reverse("public:supervision:propose", args=[window.body_id]),
        "sms_url": reverse("public:supervision:propose_sms_code", args=[window.body_id]),
        **extra,
    }


@access.public
@never_cache
@ratelimit.limit("supervision.propose", rate=SUBMIT_RATE)
def propose(request, body_pk):
    window = _open_window_or_404(body_pk)
    form = PublicProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["phone"]:
                sms_code_verify(phone=data["phone"], code=data["sms_code"])
            proposal = services.proposal_submit_public(
                body=window.body, title=data["title"], necessity=data["necessity"], problem=data["problem"],
                name=data["name"], phone=data["phone"], phone_verified=bool(data["phone"]),
            )
        except SmsCodeRejected as error:
            form.add_error("sms_code", str(error.message))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            request.session[RECEIPT_SESSION_KEY] = proposal.title
            return redirect("public:supervision:proposed")
    status = 400 if request.method == "POST" else 200
    return render(request, "public/supervision/propose.html", _propose_context(window, form), status=status)


@access.public
@never_cache
@require_POST
@ratelimit.limit("supervision.sms_code", rate=SMS_RATE)
def propose_sms_code(request, body_pk):
    window = _open_window_or_404(body_pk)
    initial = {name: request.POST.get(name, "") for name in ("title", "necessity", "problem", "name", "phone")}
    phone_form = PhoneForm(request.POST)
    phone_error, status, sent = "", 200, False
    if not phone_form.is_valid():
        phone_error, status = " ".join(phone_form.errors["phone"]), 400
    else:
        try:
            sms_code_request(phone=phone_form.cleaned_data["phone"], ip=security_log.client_ip(request))
        except WorkflowError as error:
            phone_error, status = str(error.message), error.status
        except ValidationError as error:
            phone_error, status = " ".join(error.messages), 400
        else:
            sent = True
    context = _propose_context(window, PublicProposalForm(initial=initial), phone_error=phone_error, code_sent=sent)
    return render(request, "public/supervision/propose.html", context, status=status)


@access.public
@never_cache
def proposed(request):
    title = request.session.get(RECEIPT_SESSION_KEY)
    if not title:
        return redirect("public:supervision:index")
    return render(request, "public/supervision/proposed.html", {"title": title})


def group_by_kind(topics) -> list[tuple[str, list]]:
    labels = dict(TopicKind.choices)
    groups: dict[str, list] = {}
    for topic in topics:
        groups.setdefault(topic.kind, []).append(topic)
    return [(labels[kind], groups[kind]) for kind in TopicKind.values if kind in groups]


@access.public
def plan_detail(request, pk):
    try:
        plan, versions, entries = selectors.published_plan(pk)
    except AnnualPlan.DoesNotExist:
        raise Http404 from None
    return render(request, "public/supervision/plan.html", {
        "plan": plan, "version": versions[0], "versions": versions, "groups": group_by_kind(entries),
    })


@access.public
def topic_detail(request, pk):
    anonymous = _anonymous()
    topic = selectors.visible_topics(anonymous).filter(pk=pk).first()
    if topic is None:
        raise Http404
    opinions = DeliberationOpinion.objects.filter(topic=topic, is_published=True).order_by("pk")
    return render(
        request, "public/supervision/topic.html",
        {"topic": topic, "opinions": opinions, "votes": selectors.vote_results(anonymous, topic),
         "inquiries": selectors.topic_inquiries(topic, published_only=True),
         "evaluation": selectors.published_evaluation(topic)},
    )


urlpatterns = [
    path("", index, name="index"),
    path("propose/<int:body_pk>/", propose, name="propose"),
    path("propose/<int:body_pk>/sms-code/", propose_sms_code, name="propose_sms_code"),
    path("proposed/", proposed, name="proposed"),
    path("plans/<int:pk>/", plan_detail, name="plan"),
    path("topics/<int:pk>/", topic_detail, name="topic"),
]
