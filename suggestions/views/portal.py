"""The deputy's suggestions on the phone: file a suggestion or motion with co-signers and files,
confirm co-signing, follow every proposal I signed (timeline, deadlines with their basis, replies,
commitments), rate a reply (the lead deputy only, also through a single-use link), ask for a
face-to-face meeting. Anything not mine is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from congress import access
from congress.permissions import can_use_portal
from congress.rules import Deadline
from congress.timeline import verb_label
from congress.uploads import serve_upload
from congress.views.support import apply_validation_error, error_text, page
from congress.workflow import TransitionForbidden, WorkflowError
from deputies.models import Deputy
from deputies.selectors_directory import my_mandate, my_mandates
from suggestions import selectors, services
from suggestions import selectors_portal as mine
from suggestions.forms_portal import MeetingRequestForm, ProposalFileForm, RatingForm
from suggestions.models import Assignment, Attachment, Proposal, Reply, Signer
from suggestions.services.followup import MEETING_STATES

portal_only = access.require(can_use_portal)

TABS = (
    (mine.Tab.ALL, gettext_lazy("All")),
    (mine.Tab.TO_SIGN, gettext_lazy("To co-sign")),
    (mine.Tab.TO_RATE, gettext_lazy("To rate")),
    (mine.Tab.DRAFTS, gettext_lazy("Drafts")),
)

# How each event reads on the deputy's timeline.
VERB_LABELS = {
    "filed": gettext_lazy("Filed as a draft"),
    "attachment_added": gettext_lazy("File attached"),
    "signature_confirmed": gettext_lazy("Co-signing confirmed"),
    "signature_declined": gettext_lazy("Co-signing declined"),
    "submitted": gettext_lazy("Submitted"),
    "accepted": gettext_lazy("Accepted and numbered"),
    "converted_to_suggestion": gettext_lazy("Accepted as a suggestion (converted from a motion)"),
    "returned": gettext_lazy("Returned"),
    "withdrawal_consented": gettext_lazy("Consented to withdrawal"),
    "withdrawn": gettext_lazy("Withdrawn"),
    # The other proposals' numbers stay on the console: one of them may be confidential.
    "merged": gettext_lazy("To be handled together with similar proposals"),
    "unmerged": gettext_lazy("No longer handled together with similar proposals"),
    "assigned": gettext_lazy("Assigned to a handling unit"),
    "accepted_by_unit": gettext_lazy("Taken on by the unit"),
    "objected": gettext_lazy("The unit objected to the assignment"),
    "objection_refused": gettext_lazy("Objection refused"),
    "reassigned": gettext_lazy("Reassigned"),
    "contact_recorded": gettext_lazy("The unit contacted the deputy"),
    "extension_requested": gettext_lazy("Extension requested"),
    "extended": gettext_lazy("Extension approved"),
    "extension_refused": gettext_lazy("Extension refused"),
    "co_opinion_submitted": gettext_lazy("Co-handling unit's opinion submitted"),
    "replied": gettext_lazy("Replied"),
    "rated": gettext_lazy("Rated"),
    "rating_corrected": gettext_lazy("Rating corrected"),
    "member_rated": gettext_lazy("Rated by a standing committee member"),
    "rehandling_ordered": gettext_lazy("Re-handling ordered"),
    "escalated": gettext_lazy("Escalated to the supervising committee"),
    "not_rated": gettext_lazy("Closed without a rating"),
    "closed": gettext_lazy("Closed"),
    "urged": gettext_lazy("Urged by the office"),
    "commitment_fulfilled": gettext_lazy("Commitment reported fulfilled"),
    "designated_key": gettext_lazy("Designated a key suggestion"),
    "key_progress": gettext_lazy("Progress on the key suggestion"),
    "key_solved": gettext_lazy("Key suggestion solved"),
    "key_carried_over": gettext_lazy("Key suggestion carried over"),
    "meeting_requested": gettext_lazy("Face-to-face meeting requested"),
    "placed_on_session_agenda": gettext_lazy("Put on the agenda of a face-to-face session"),
}
# Notes the deputy reads on the timeline; other notes (a unit's objection, staff's internal
# remarks) stay on the console.
DEPUTY_NOTES = {"returned", "withdrawn", "converted_to_suggestion", "rehandling_ordered", "extended",
                "meeting_requested", "commitment_fulfilled", "placed_on_session_agenda"}


def _mandate(request) -> Deputy:
    raw = request.GET.get("mandate") or request.POST.get("mandate")
    try:
        return my_mandate(request.user, int(raw) if raw else None)
    except (ValueError, Deputy.DoesNotExist):
        raise Http404 from None


def _ids(values) -> list[int]:
    return [int(value) for value in values if str(value).isdigit()][:100]




def _deadline(label, due, basis) -> dict | None:
    if due is None:
        return None
    return {"label": label, "due": due, "basis": Deadline(due, basis).describe() if basis else ""}


# ---- lists ------------------------------------------------------------------------------------


@portal_only
@require_GET
def proposal_list(request):
    """Every proposal I lead or was asked to sign, by tab."""
    tab = request.GET.get("tab", "")
    if tab not in dict(TABS):
        tab = mine.Tab.ALL
    proposals = page(request, mine.my_proposals(request.user, tab=tab), per_page=20)
    return render(request, "portal/suggestions/list.html", {
        "page_obj": proposals, "tab": tab, "tabs": TABS, "counts": mine.my_counts(request.user),
        "can_file": bool(my_mandates(request.user)),
    })


# ---- filing -----------------------------------------------------------------------------------


@portal_only
def proposal_file(request):
    """File a suggestion or motion; save it as a draft or submit it at once."""
    deputy = _mandate(request)
    form = ProposalFileForm(request.POST or None, request.FILES or None, deputy=deputy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_file(
                actor=request.user, lead_deputy=deputy, kind=data["kind"], session=data["session"],
                title=data["title"], content=data["content"], category=data["category"], keywords=data["keywords"],
                is_confidential=data["is_confidential"], co_signers=data["co_signers"],
                attachments=data["attachments"],
            )
        except TransitionForbidden:
            raise Http404 from None
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if "submit" in request.POST:
                _submit(request, proposal)
            else:
                messages.success(request, _("Saved as a draft. Your co-signers have been asked to confirm."))
            return redirect("portal:suggestions:detail", proposal.pk)
    form.fields["title"].widget.attrs.update({
        "hx-get": reverse("portal:suggestions:similar"), "hx-trigger": "input changed delay:600ms",
        "hx-target": "#similar", "hx-include": "#file-form [name='mandate']", "hx-sync": "this:replace",
    })
    selected = _ids(request.POST.getlist("co_signers"))
    return render(request, "portal/suggestions/file.html", {
        "form": form, "deputy": deputy, "mandates": list(my_mandates(request.user)),
        "candidates": mine.cosigner_candidates(deputy, "", selected_ids=selected), "selected": set(selected),
        "similar": selectors.similar_proposals(deputy.body, request.POST.get("title", "")) if request.method == "POST"
        else [],
    })


@portal_only
@require_GET
def cosigner_search(request):
    """htmx: deputies of my congress matching the name typed, the ones already picked kept."""
    deputy = _mandate(request)
    selected = _ids(request.GET.getlist("co_signers"))
    candidates = mine.cosigner_candidates(deputy, request.GET.get("q", "")[:64], selected_ids=selected)
    return render(request, "portal/suggestions/_cosigners.html", {
        "candidates": candidates, "selected": set(selected), "searched": bool(request.GET.get("q", "").strip()),
    })


@portal_only
@require_GET
def similar(request):
    """htmx: proposals of my congress whose titles read like the one being typed."""
    deputy = _mandate(request)
    return render(request, "portal/suggestions/_similar.html", {
        "similar": selectors.similar_proposals(deputy.body, request.GET.get("title", "")[:200]),
    })


def _submit(request, proposal) -> None:
    try:
        services.proposal_submit(actor=request.user, proposal=proposal)
    except TransitionForbidden:
        raise Http404 from None
    except services.SignersBelowThreshold as error:
        messages.error(request, _("Not submitted: %(reason)s Ask your co-signers to confirm, then submit again.")
                       % {"reason": error_text(error)})
    except (ValidationError, WorkflowError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Submitted. The office will review it."))


def _my_proposal(request, pk) -> Proposal:
    try:
        return mine.my_proposal(request.user, pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _my_signature(request, proposal) -> Signer | None:
    return next((signer for signer in proposal.signers.all() if signer.deputy.user_id == request.user.pk), None)


@portal_only
@require_POST
def proposal_submit(request, pk):
    proposal = _my_proposal(request, pk)
    _submit(request, proposal)
    return redirect("portal:suggestions:detail", proposal.pk)


@portal_only
@require_POST
def signature_confirm(request, pk):
    proposal = _my_proposal(request, pk)
    signer = _my_signature(request, proposal)
    if signer is None:
        raise Http404
    try:
        services.signer_confirm(actor=request.user, signer=signer)
    except TransitionForbidden:
        raise Http404 from None
    except WorkflowError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("You have co-signed this proposal."))
    return redirect("portal:suggestions:detail", proposal.pk)


@portal_only
@require_POST
def signature_decline(request, pk):
    proposal = _my_proposal(request, pk)
    signer = _my_signature(request, proposal)
    if signer is None or signer.is_lead:
        raise Http404
    try:
        services.signer_decline(actor=request.user, signer=signer)
    except TransitionForbidden:
        raise Http404 from None
    except WorkflowError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("You have declined to co-sign this proposal."))
    return redirect("portal:suggestions:detail", proposal.pk)


# ---- one proposal -----------------------------------------------------------------------------


def _assignment_view(assignment: Assignment, *, i_lead: bool, today) -> dict:
    replies = list(assignment.replies.all())
    rateable = (
        i_lead and assignment.answers and assignment.state == Assignment.State.REPLIED
        and assignment.rating_status == Assignment.RatingStatus.PENDING
        and assignment.rating_due is not None and assignment.rating_due >= today
    )
    deadlines = [
        _deadline(_("Reply due"), assignment.reply_due, assignment.reply_due_basis),
        _deadline(_("Latest possible due date"), assignment.max_due, assignment.max_due_basis),
        _deadline(_("Rating due"), assignment.rating_due, assignment.rating_due_basis),
    ] if assignment.answers else []
    return {
        "assignment": assignment,
        "replies": replies,
        "ratings": assignment.my_ratings,
        "deadlines": [deadline for deadline in deadlines if deadline],
        "can_rate": rateable,
    }


def _label(event) -> str:
    """The deputy's wording where it differs from the console's; otherwise the shared registry
    (congress.timeline), which also says where a proposal stands after its units moved it."""
    if event.verb in VERB_LABELS:
        return str(VERB_LABELS[event.verb])
    return verb_label(event.verb, "suggestions")


def _timeline(proposal: Proposal, units: dict[str, str]) -> list[dict]:
    return [
        {
            "event": event,
            "label": _label(event),
            "unit": units.get(event.object_id, "") if event.content_type.model == "assignment" else "",
            "note": event.note if event.verb in DEPUTY_NOTES else "",
        }
        for event in selectors.timeline(proposal).select_related("content_type")
    ]


@portal_only
@require_GET
def proposal_detail(request, pk):
    """My proposal: signers, files, deadlines with their basis, replies and commitments, my
    ratings and the timeline."""
    proposal = _my_proposal(request, pk)
    today = timezone.localdate()
    signature = _my_signature(request, proposal)
    i_lead = proposal.lead_deputy.user_id == request.user.pk
    assignments = list(proposal.assignments.all())
    answering = [_assignment_view(a, i_lead=i_lead, today=today) for a in assignments if a.answers]
    intake = _deadline(_("Assignment due"), proposal.intake_due, proposal.intake_due_basis)
    in_signing = proposal.state in (Proposal.State.DRAFT, Proposal.State.SUBMITTED)
    return render(request, "portal/suggestions/detail.html", {
        "proposal": proposal,
        "signers": list(proposal.signers.all()),
        "signature": signature,
        "i_lead": i_lead,
        "answering": answering,
        "co_handlers": [a for a in assignments if a.role == Assignment.Role.CO],
        "intake": intake,
        "timeline": _timeline(proposal, {str(a.pk): a.unit.name for a in assignments}),
        "can_submit": i_lead and proposal.state == Proposal.State.DRAFT,
        "can_confirm": signature is not None and not signature.is_lead and signature.confirmed_at is None
        and in_signing,
        "can_decline": signature is not None and not signature.is_lead and signature.declined_at is None
        and proposal.state == Proposal.State.DRAFT,
        "can_request_meeting": signature is not None and signature.confirmed_at is not None
        and proposal.state in MEETING_STATES,
        "meeting_form": MeetingRequestForm(),
    })


@portal_only
@require_GET
def attachment_download(request, pk):
    """A file filed with one of my proposals, always as a download (never rendered; S16)."""
    try:
        attachment = mine.my_attachment(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return serve_upload(attachment.file, filename=attachment.original_name)


@portal_only
@require_GET
def reply_document(request, pk):
    """The signed document of a reply to one of my proposals, as a download."""
    try:
        reply = mine.my_reply_document(request.user, pk)
    except Reply.DoesNotExist:
        raise Http404 from None
    return serve_upload(reply.document)


@portal_only
@require_POST
def meeting_request(request, pk):
    proposal = _my_proposal(request, pk)
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect("portal:suggestions:detail", proposal.pk)
    try:
        recorded = services.meeting_request(actor=request.user, proposal=proposal, note=form.cleaned_data["note"])
    except TransitionForbidden:
        raise Http404 from None
    except WorkflowError as error:
        messages.error(request, error_text(error))
    else:
        if recorded:
            messages.success(request, _("Your request has been sent to the office, which will arrange the meeting."))
        else:
            messages.info(request, _("You already asked for a meeting on this proposal today."))
    return redirect("portal:suggestions:detail", proposal.pk)


# ---- rating -----------------------------------------------------------------------------------


def _rating_context(assignment: Assignment, form, **extra) -> dict:
    replies = list(assignment.replies.all())
    current = next((reply for reply in replies if reply.round == assignment.round), replies[-1] if replies else None)
    return {
        "assignment": assignment,
        "proposal": assignment.proposal,
        "reply": current,
        "form": form,
        "rating_due": _deadline(_("Rating due"), assignment.rating_due, assignment.rating_due_basis),
        **extra,
    }


def _rating_refused(request, error, proposal_pk):
    messages.error(request, error_text(error))
    return redirect("portal:suggestions:detail", proposal_pk)


@portal_only
def rate(request, pk, assignment_pk):
    """The lead deputy rates the current round's reply: attitude and result separately."""
    try:
        assignment = mine.my_rateable_assignment(request.user, pk, assignment_pk)
    except Assignment.DoesNotExist:
        raise Http404 from None
    if request.method == "GET" and assignment.state != Assignment.State.REPLIED:
        messages.info(request, _("There is no reply waiting for your rating here."))
        return redirect("portal:suggestions:detail", pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(
                actor=request.user, assignment=assignment, attitude=form.cleaned_data["attitude"],
                result=form.cleaned_data["result"], reason=form.cleaned_data["reason"],
            )
        except TransitionForbidden:
            raise Http404 from None
        except ValidationError as error:
            apply_validation_error(form, error)
        except WorkflowError as error:
            return _rating_refused(request, error, pk)
        else:
            messages.success(request, _("Thank you. Your rating has been recorded and cannot be changed by anyone."))
            return redirect("portal:suggestions:detail", pk)
    return render(request, "portal/suggestions/rate.html", _rating_context(
        assignment, form, action=reverse("portal:suggestions:rate", args=[pk, assignment_pk]),
    ))


@portal_only
def rate_by_link(request, token):
    """The single-use link from the reply notification: it opens the rating form for the deputy it
    was issued to (anyone else: 404) and is used up by the rating it submits."""
    link = mine.my_rating_link(request.user, token[:128])
    if link is None:
        raise Http404
    assignment = link.assignment
    usable = (
        link.used_at is None and link.expires_at > timezone.now() and link.round == assignment.round
        and assignment.state == Assignment.State.REPLIED
    )
    if not usable:
        return render(request, "portal/suggestions/rate_link_used.html", {"proposal": assignment.proposal},
                      status=410)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit_by_link(
                actor=request.user, token=token, attitude=form.cleaned_data["attitude"],
                result=form.cleaned_data["result"], reason=form.cleaned_data["reason"],
            )
        except TransitionForbidden:
            raise Http404 from None
        except ValidationError as error:
            apply_validation_error(form, error)
        except services.RatingLinkInvalid:
            return render(request, "portal/suggestions/rate_link_used.html", {"proposal": assignment.proposal},
                          status=410)
        except WorkflowError as error:
            return _rating_refused(request, error, assignment.proposal_id)
        else:
            messages.success(request, _("Thank you. Your rating has been recorded and cannot be changed by anyone."))
            return redirect("portal:suggestions:detail", assignment.proposal_id)
    try:
        assignment = mine.my_rateable_assignment(request.user, assignment.proposal_id, assignment.pk)
    except Assignment.DoesNotExist:
        raise Http404 from None
    return render(request, "portal/suggestions/rate.html", _rating_context(
        assignment, form, action=request.path, via_link=True,
    ))


urlpatterns = [
    path("", proposal_list, name="list"),
    path("new/", proposal_file, name="file"),
    path("new/co-signers/", cosigner_search, name="cosigner_search"),
    path("new/similar/", similar, name="similar"),
    path("<int:pk>/", proposal_detail, name="detail"),
    path("<int:pk>/submit/", proposal_submit, name="submit"),
    path("<int:pk>/co-sign/", signature_confirm, name="sign_confirm"),
    path("<int:pk>/decline/", signature_decline, name="sign_decline"),
    path("<int:pk>/meeting/", meeting_request, name="meeting_request"),
    path("<int:pk>/rate/<int:assignment_pk>/", rate, name="rate"),
    path("rate/<str:token>/", rate_by_link, name="rate_link"),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("replies/<int:pk>/document/", reply_document, name="reply_document"),
]
