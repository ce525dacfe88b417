"""Portal pages of supervision, on the phone: a deputy proposes a topic and follows their
proposals, a standing-committee member rates an open satisfaction vote (once: the single-use
ballot is spent by the service, and the choice is never stored against the member), and a deputy
sees the supervision activities they took part in.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from congress import access
from congress.permissions import can_use_portal, has_role, is_active_user
from congress.views.support import apply_validation_error
from congress.workflow import WorkflowError
from deputies.models import Deputy
from deputies.selectors_directory import my_mandate, my_mandates
from supervision import permissions, services
from supervision.forms import BallotForm, ProposalForm
from supervision.models import MemberBallot, SatisfactionVote, SupervisionActivity

portal_only = access.require(can_use_portal)


def is_voter(user) -> bool:
    """Standing-committee members (leaders included) vote from the portal."""
    return is_active_user(user) and has_role(user, *permissions.VOTER_ROLES)


def can_use_supervision_portal(user) -> bool:
    return can_use_portal(user) or is_voter(user)


voters = access.require(is_voter)
portal_or_voter = access.require(can_use_supervision_portal)


def _open_ballots(user):
    return (
        MemberBallot.objects.filter(member=user, used_at__isnull=True, vote__state=SatisfactionVote.State.OPEN)
        .select_related("vote__topic", "vote__opinion")
        .order_by("vote__opened_at", "pk")
    )


@portal_or_voter
def home(request):
    mandates = list(my_mandates(request.user)) if can_use_portal(request.user) else []
    proposals = permissions.visible_proposals(request.user).filter(proposer_user=request.user).select_related(
        "adopted_topic").order_by("-created_at")[:20]
    activities = (
        SupervisionActivity.objects.filter(deputies__user=request.user).select_related("topic", "place")
        .distinct().order_by("-date", "-pk")[:20]
    )
    ballots = list(_open_ballots(request.user)) if is_voter(request.user) else []
    return render(request, "portal/supervision/home.html", {
        "mandates": mandates, "proposals": proposals, "activities": activities, "ballots": ballots,
    })


@portal_only
def propose(request):
    raw = request.GET.get("mandate") or request.POST.get("mandate")
    try:
        deputy = my_mandate(request.user, int(raw) if raw else None)
    except (ValueError, Deputy.DoesNotExist):
        raise Http404 from None
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit_by_deputy(actor=request.user, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your proposal was sent."))
            return redirect("portal:supervision:home")
    return render(request, "portal/supervision/propose.html", {
        "form": form, "deputy": deputy, "mandates": list(my_mandates(request.user)),
    }, status=400 if request.method == "POST" else 200)


@voters
@never_cache
def vote(request, pk):
    ballot = _open_ballots(request.user).filter(vote_id=pk).first()
    if ballot is None:
        # Not on the roll, already voted or closed: nothing to show but the portal.
        raise Http404
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(actor=request.user, vote=ballot.vote, choice=form.cleaned_data["choice"])
        except (ValidationError, WorkflowError) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError)
                           else str(error.message))
        else:
            messages.success(request, _("Thank you: your rating was counted."))
        return redirect("portal:supervision:home")
    return render(request, "portal/supervision/vote.html", {"ballot": ballot, "vote": ballot.vote, "form": form})


urlpatterns = [
    path("", home, name="home"),
    path("propose/", propose, name="propose"),
    path("votes/<int:pk>/", vote, name="vote"),
]
