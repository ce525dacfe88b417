"""The office's merged-handling buttons (并案) on a proposal's console page: merge with a similar
proposal, take a proposal out of its group. The page itself is `console_staff.proposal_detail`."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.views.support import run_service
from suggestions import forms_console, services
from suggestions.views.console_staff import _proposal, work


@work
@require_POST
def proposal_merge(request, pk):
    proposal = _proposal(request, pk)
    form = forms_console.MergeForm(request.POST)
    if not form.is_valid():
        raise Http404
    other = _proposal(request, form.cleaned_data["with_proposal"])
    run_service(
        request,
        lambda: services.proposal_merge(actor=request.user, proposal=proposal, with_proposal=other),
        _("The proposals will be handled together; each deputy is still answered on their own proposal."),
    )
    return redirect("console:suggestions:proposal_detail", pk=proposal.pk)


@work
@require_POST
def proposal_unmerge(request, pk):
    proposal = _proposal(request, pk)
    run_service(request, lambda: services.proposal_unmerge(actor=request.user, proposal=proposal),
                _("The proposal is no longer handled together with others."))
    return redirect("console:suggestions:proposal_detail", pk=proposal.pk)


urlpatterns = [
    path("proposals/<int:pk>/merge/", proposal_merge, name="proposal_merge"),
    path("proposals/<int:pk>/unmerge/", proposal_unmerge, name="proposal_unmerge"),
]
