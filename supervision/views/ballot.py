"""Satisfaction votes by phone link: the public ballot page a member opens from the link in their
notification, and the office's roll of a vote (who has voted, never what) with a button that
sends a member a new link.

The ballot page needs no login, because the link is the credential; it is rate limited per
address (SECURITY S14), never cached, and says in Chinese why a used, expired, replaced or closed
link cannot vote. Casting is `services.ballot_cast_by_token`: one conditional update spends the
ballot, so a second use or two simultaneous submissions count once.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congress import access, ratelimit
from congress.models import User
from congress.views.support import run_service
from congress.workflow import WorkflowError
from supervision import permissions, services
from supervision.forms import BallotForm
from supervision.models import SatisfactionVote
from supervision.services.ballot_links import BallotLinkInvalid

BALLOT_RATE = "30/h"
TEMPLATE = "public/supervision/ballot.html"


def _refusal(ballot) -> str | None:
    """Why a ballot can no longer vote, checked on GET so the page offers no form in vain."""
    if ballot.used_at is not None:
        return str(services.BallotUsed.default_message)
    if ballot.vote.state != SatisfactionVote.State.OPEN:
        return str(services.VoteClosed.default_message)
    return None


@access.public
@never_cache
@ratelimit.limit("supervision.ballot", rate=BALLOT_RATE, methods=("GET", "POST"))
def ballot(request, token):
    try:
        ballot = services.ballot_by_token(token)
    except services.NotEligible:  # forged, or replaced by a newer link
        error = BallotLinkInvalid()
        return render(request, TEMPLATE, {"error": str(error.message)}, status=error.status)
    except WorkflowError as error:  # expired
        return render(request, TEMPLATE, {"error": str(error.message)}, status=error.status)
    form = BallotForm(request.POST or None)
    context = {"vote": ballot.vote, "form": form, "voted": False, "error": _refusal(ballot)}
    status = 200
    if request.method == "POST" and context["error"] is None:
        if form.is_valid():
            try:
                services.ballot_cast_by_token(token=token, choice=form.cleaned_data["choice"])
            except WorkflowError as error:
                context["error"], status = str(error.message), error.status
            else:
                context["voted"] = True
        else:
            status = 400
    elif request.method == "POST":
        status = 409
    return render(request, TEMPLATE, context, status=status)


def _vote_or_404(user, pk) -> SatisfactionVote:
    vote = SatisfactionVote.objects.select_related("topic__plan__body", "opinion").filter(pk=pk).first()
    if vote is None or not permissions.can_work_topic(user, vote.topic):
        raise Http404
    return vote


@access.require(permissions.can_work_supervision)
def vote_roll(request, pk):
    vote = _vote_or_404(request.user, pk)
    ballots = vote.ballots.select_related("member").order_by("member__last_name", "member__first_name", "member_id")
    return render(request, "console/supervision/vote_roll.html", {"vote": vote, "ballots": ballots})


@access.require(permissions.can_work_supervision)
@require_POST
def ballot_link_resend(request, pk, member_pk):
    vote = _vote_or_404(request.user, pk)
    member = User.objects.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    run_service(
        request, lambda: services.ballot_link_resend(actor=request.user, vote=vote, member_id=member.pk),
        _("A new voting link was sent to %(member)s; the old one no longer works.") % {"member": member.display_name},
    )
    return redirect("console:supervision:vote_roll", vote.pk)


public_urlpatterns = [
    path("ballot/<str:token>/", ballot, name="ballot"),
]

console_urlpatterns = [
    # Not under votes/<pk>/: console's votes/<pk>/<action>/ would take these paths.
    path("vote-rolls/<int:pk>/", vote_roll, name="vote_roll"),
    path("vote-rolls/<int:pk>/<int:member_pk>/resend/", ballot_link_resend, name="ballot_link_resend"),
]
