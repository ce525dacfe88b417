"""Console buttons of a topic's deliberation opinions: the office drafts an opinion to one or more
units, a leader approves it, the office sends it (the units' implementation reports fall due) and
publishes it on the public site.
Each is a POST from the topic page that returns to it; the services check who may do what."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress import access
from congress.views.support import run_service
from supervision import permissions, selectors, services
from supervision.forms import OpinionForm

readers = access.require(permissions.can_read_supervision)


@access.require(permissions.can_work_supervision)
@require_POST
def opinion_create(request, pk):
    topic = selectors.visible_topics(request.user).select_related("plan__body").filter(pk=pk).first()
    if topic is None or not permissions.can_work_topic(request.user, topic):
        raise Http404
    form = OpinionForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.opinion_draft(actor=request.user, topic=topic, **form.cleaned_data),
                    _("The opinion was drafted."))
    else:
        messages.error(request, _("Give the opinion a title, its text and at least one unit."))
    return redirect("console:supervision:topic_detail", topic.pk)


@readers
@require_POST
def opinion_act(request, pk, action):
    opinion = permissions.visible_opinions(request.user).select_related("topic__plan__body").filter(pk=pk).first()
    if opinion is None:
        raise Http404
    actor = request.user
    actions = {
        "approve": (lambda: services.opinion_approve(actor=actor, opinion=opinion), _("The opinion was approved.")),
        "send": (lambda: services.opinion_send(actor=actor, opinion=opinion), _("The opinion was sent to the units.")),
        "publish": (lambda: services.opinion_publish(actor=actor, opinion=opinion),
                    _("The opinion is published on the public site.")),
    }
    if action not in actions:
        raise Http404
    call, success = actions[action]
    run_service(request, call, success)
    return redirect("console:supervision:topic_detail", opinion.topic_id)


urlpatterns = [
    path("topics/<int:pk>/opinions/new/", opinion_create, name="opinion_create"),
    path("opinions/<int:pk>/approve/", opinion_act, {"action": "approve"}, name="opinion_approve"),
    path("opinions/<int:pk>/send/", opinion_act, {"action": "send"}, name="opinion_send"),
    path("opinions/<int:pk>/publish/", opinion_act, {"action": "publish"}, name="opinion_publish"),
]
