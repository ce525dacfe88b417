"""Filing, signing, submission, review, numbering and withdrawal of proposals."""

import datetime
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Session
from congress.notifications.services import notify
from congress.rules import rules_for, working_days_after
from congress.uploads import validate_upload
from congress.workflow import IllegalTransition, record_event, transition
from deputies.models import ActivityKind, Deputy
from deputies.services import record_duty_activity
from suggestions import permissions
from suggestions.models import Attachment, Category, NumberSeries, Proposal, ReturnReason, Signer
from suggestions.services.common import (
    SignersBelowThreshold,
    WithdrawalConsentMissing,
    forbid_unless,
    signer_user_ids,
    staff_ids,
    today,
)
from suggestions.services.merging import leave_merge_group

SERIES_LETTER = {Proposal.Kind.SUGGESTION: "J", Proposal.Kind.MOTION: "Y"}


def _check_deputies(proposal_body, deputies: Iterable[Deputy]) -> None:
    for deputy in deputies:
        if deputy.body_id != proposal_body.pk or not deputy.is_serving:
            raise ValidationError(
                _("%(deputy)s is not a serving deputy of %(body)s.") % {"deputy": deputy, "body": proposal_body}
            )


@transaction.atomic
def proposal_file(
    *,
    actor,
    lead_deputy: Deputy,
    title: str,
    content: str,
    kind: str = Proposal.Kind.SUGGESTION,
    session: Session | None = None,
    category: Category | None = None,
    keywords: str = "",
    is_confidential: bool = False,
    co_signers: Iterable[Deputy] = (),
    attachments: Iterable = (),
) -> Proposal:
    """File a draft proposal from the lead deputy's account and invite the co-signers.

    The lead deputy is the first signer and confirmed at once; each co-signer is asked to confirm
    from their own portal. The body and term are the lead deputy's mandate's.
    """
    forbid_unless(permissions.can_file(actor, lead_deputy))
    body = lead_deputy.body
    co_signers = [deputy for deputy in co_signers if deputy.pk != lead_deputy.pk]
    _check_deputies(body, co_signers)
    if session is not None and session.term_id != lead_deputy.term_id:
        raise ValidationError(_("The session does not belong to the deputy’s term."))
    if category is not None and category.body_id != body.pk:
        raise ValidationError(_("The category does not belong to this congress."))
    proposal = Proposal.objects.create(
        kind=kind,
        body=body,
        term=lead_deputy.term,
        session=session,
        title=title,
        content=content,
        category=category,
        keywords=keywords,
        lead_deputy=lead_deputy,
        is_confidential=is_confidential,
        created_by=actor,
    )
    now = timezone.now()
    Signer.objects.bulk_create(
        [Signer(proposal=proposal, deputy=lead_deputy, is_lead=True, confirmed_at=now)]
        + [Signer(proposal=proposal, deputy=deputy) for deputy in co_signers]
    )
    for upload in attachments:
        attachment_add(actor=actor, proposal=proposal, upload=upload)
    record_event(proposal, actor=actor, verb="filed", to_state=proposal.state,
                 data={"co_signers": [deputy.pk for deputy in co_signers]})
    invited = [deputy.user_id for deputy in co_signers if deputy.user_id]
    if invited:
        notify(
            recipients=invited,
            kind="suggestions.signature_requested",
            title=_("Please confirm co-signing: %(title)s") % {"title": title},
            body=_("%(deputy)s invites you to co-sign this proposal.") % {"deputy": lead_deputy},
            dedupe_key=f"signature-requested:proposal-{proposal.pk}",
        )
    return proposal


@transaction.atomic
def attachment_add(*, actor, proposal: Proposal, upload) -> Attachment:
    forbid_unless(permissions.can_edit_draft(actor, proposal))
    content_type = validate_upload(upload)
    attachment = Attachment(
        proposal=proposal,
        original_name=os.path.basename(upload.name)[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(os.path.basename(upload.name), upload, save=False)
    attachment.save()
    record_event(proposal, actor=actor, verb="attachment_added", data={"name": attachment.original_name})
    return attachment


@transaction.atomic
def signer_confirm(*, actor, signer: Signer) -> Signer:
    """A co-signer confirms from their own account, while the proposal is a draft or submitted."""
    signer = Signer.objects.select_for_update().select_related("deputy", "proposal").get(pk=signer.pk)
    forbid_unless(permissions.can_confirm_signature(actor, signer))
    if signer.proposal.state not in (Proposal.State.DRAFT, Proposal.State.SUBMITTED):
        raise IllegalTransition()
    if signer.confirmed_at is None:
        signer.confirmed_at = timezone.now()
        signer.declined_at = None
        signer.save(update_fields=["confirmed_at", "declined_at"])
        record_event(signer.proposal, actor=actor, verb="signature_confirmed", data={"deputy": signer.deputy_id})
    return signer


@transaction.atomic
def signer_decline(*, actor, signer: Signer) -> Signer:
    signer = Signer.objects.select_for_update().select_related("deputy", "proposal").get(pk=signer.pk)
    forbid_unless(permissions.can_confirm_signature(actor, signer) and not signer.is_lead)
    if signer.proposal.state != Proposal.State.DRAFT:
        raise IllegalTransition()
    signer.confirmed_at = None
    signer.declined_at = timezone.now()
    signer.save(update_fields=["confirmed_at", "declined_at"])
    record_event(signer.proposal, actor=actor, verb="signature_declined", data={"deputy": signer.deputy_id})
    return signer


def minimum_motion_signers(proposal: Proposal) -> int:
    rules = rules_for(proposal.body)
    if proposal.body.is_district:
        return rules.motion_min_signers_district
    return rules.motion_min_signers_township


@transaction.atomic
def proposal_submit(*, actor, proposal: Proposal, received_on: datetime.date | None = None) -> Proposal:
    """Submit the draft. A motion needs the rule's number of confirmed signers (10 district, 5 township).

    Receipt starts the clocks: a recess proposal must be assigned within the working days of
    the body's rule, and the deadline is stored with its basis. Each confirmed signer's duty record
    gets the filing.
    """
    locked = Proposal.objects.select_for_update().select_related("body__region").get(pk=proposal.pk)
    forbid_unless(permissions.can_submit(actor, locked))
    if locked.state != Proposal.State.DRAFT:
        raise IllegalTransition(from_state=locked.state, to_state=Proposal.State.SUBMITTED)
    confirmed = list(Signer.objects.filter(proposal=locked, confirmed_at__isnull=False).select_related("deputy"))
    if locked.kind == Proposal.Kind.MOTION:
        needed = minimum_motion_signers(locked)
        if len(confirmed) < needed:
            raise SignersBelowThreshold(
                _("A motion needs at least %(needed)s confirmed signers; it has %(count)s.")
                % {"needed": needed, "count": len(confirmed)},
                needed=needed,
                count=len(confirmed),
            )
    received_on = received_on or today()
    changes = {"received_on": received_on, "submitted_at": timezone.now()}
    if locked.is_recess:
        deadline = working_days_after(locked.body, "assignment_working_days", received_on)
        changes.update(intake_due=deadline.due, intake_due_basis=deadline.basis)
    transition(locked, to=Proposal.State.SUBMITTED, actor=actor, verb="submitted", changes=changes)
    kind = ActivityKind.MOTION if locked.kind == Proposal.Kind.MOTION else ActivityKind.SUGGESTION
    for signer in confirmed:
        record_duty_activity(
            deputy=signer.deputy, kind=kind, date=received_on, title=locked.title, source_object=locked, actor=actor
        )
    notify(
        recipients=staff_ids(locked.body),
        kind="suggestions.submitted",
        title=_("New proposal to review: %(title)s") % {"title": locked.title},
        dedupe_key=f"submitted:proposal-{locked.pk}",
    )
    proposal.refresh_from_db()
    return proposal


def _next_number(proposal: Proposal, kind: str) -> str:
    """The next number of the proposal's series, taken under a row lock (gap-free, unique)."""
    session_part = str(proposal.session.number) if proposal.session_id else NumberSeries.RECESS
    series, _created = NumberSeries.objects.get_or_create(term=proposal.term, session_part=session_part, kind=kind)
    series = NumberSeries.objects.select_for_update().get(pk=series.pk)
    series.last_value += 1
    series.save(update_fields=["last_value"])
    return f"{proposal.term.number}-{session_part}-{SERIES_LETTER[kind]}-{series.last_value:03d}"


def _lock_for_review(actor, proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("body__region", "term", "session")
        .get(pk=proposal.pk)
    )
    forbid_unless(permissions.can_review(actor, locked))
    if locked.state != Proposal.State.SUBMITTED:
        raise IllegalTransition(from_state=locked.state, to_state=Proposal.State.ACCEPTED)
    return locked


def _notify_signers(proposal: Proposal, *, kind: str, title: str, body: str = "", key: str) -> None:
    notify(recipients=signer_user_ids(proposal), kind=kind, title=title, body=body, dedupe_key=key)


@transaction.atomic
def proposal_accept(*, actor, proposal: Proposal) -> Proposal:
    """Accept a submitted proposal (a motion as a motion) and give it the next number of its series."""
    locked = _lock_for_review(actor, proposal)
    number = _next_number(locked, locked.kind)
    transition(
        locked, to=Proposal.State.ACCEPTED, actor=actor, verb="accepted",
        changes={"number": number, "accepted_at": timezone.now()}, data={"number": number},
    )
    _notify_signers(
        locked, kind="suggestions.accepted", key=f"accepted:proposal-{locked.pk}",
        title=_("Your proposal was accepted as no. %(number)s") % {"number": number},
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def motion_convert_to_suggestion(*, actor, proposal: Proposal, note: str = "") -> Proposal:
    """Accept a motion as a suggestion: it is numbered in the motion series first, and keeps that
    number in `converted_from_number` when it takes the next suggestion number."""
    locked = _lock_for_review(actor, proposal)
    if locked.kind != Proposal.Kind.MOTION:
        raise IllegalTransition(from_state=locked.state, to_state=Proposal.State.ACCEPTED)
    motion_number = _next_number(locked, Proposal.Kind.MOTION)
    number = _next_number(locked, Proposal.Kind.SUGGESTION)
    transition(
        locked, to=Proposal.State.ACCEPTED, actor=actor, verb="converted_to_suggestion", note=note,
        changes={
            "kind": Proposal.Kind.SUGGESTION,
            "number": number,
            "converted_from_number": motion_number,
            "accepted_at": timezone.now(),
        },
        data={"number": number, "converted_from_number": motion_number},
    )
    _notify_signers(
        locked, kind="suggestions.converted", key=f"converted:proposal-{locked.pk}",
        title=_("Your motion no. %(old)s will be handled as suggestion no. %(number)s")
        % {"old": motion_number, "number": number},
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def proposal_return(
    *, actor, proposal: Proposal, reason: ReturnReason, note: str = "", convert_to_letter: bool = False
) -> Proposal:
    """Return a submitted proposal with one of the body's standard reasons, optionally as a letter."""
    locked = Proposal.objects.select_for_update().select_related("body__region").get(pk=proposal.pk)
    forbid_unless(permissions.can_review(actor, locked))
    if reason.body_id != locked.body_id or not reason.is_active:
        raise ValidationError(_("Choose one of this congress’s return reasons."))
    leave_merge_group(locked, actor=actor)
    transition(
        locked, to=Proposal.State.RETURNED, actor=actor, verb="returned", note=note,
        changes={"return_reason": reason, "return_note": note, "converted_to_letter": convert_to_letter},
        data={"reason": reason.code, "converted_to_letter": convert_to_letter},
    )
    _notify_signers(
        locked, kind="suggestions.returned", key=f"returned:proposal-{locked.pk}",
        title=_("Your proposal was returned: %(reason)s") % {"reason": reason.name}, body=note,
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def signer_consent_withdrawal(*, actor, signer: Signer) -> Signer:
    signer = Signer.objects.select_for_update().select_related("deputy", "proposal").get(pk=signer.pk)
    forbid_unless(permissions.can_confirm_signature(actor, signer))
    if signer.withdrawal_consent_at is None:
        signer.withdrawal_consent_at = timezone.now()
        signer.save(update_fields=["withdrawal_consent_at"])
        record_event(signer.proposal, actor=actor, verb="withdrawal_consented", data={"deputy": signer.deputy_id})
    return signer


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal, note: str = "") -> Proposal:
    """Withdraw a proposal before assignment, once every confirmed signer has consented."""
    locked = Proposal.objects.select_for_update().select_related("body__region", "lead_deputy").get(pk=proposal.pk)
    forbid_unless(permissions.can_withdraw(actor, locked))
    if Proposal.State.WITHDRAWN not in Proposal.TRANSITIONS.get(locked.state, ()):
        raise IllegalTransition(from_state=locked.state, to_state=Proposal.State.WITHDRAWN)
    missing = list(
        Signer.objects.filter(proposal=locked, confirmed_at__isnull=False, withdrawal_consent_at__isnull=True)
        .exclude(is_lead=True, deputy__user=actor)
        .values_list("deputy__name", flat=True)
    )
    if missing:
        raise WithdrawalConsentMissing(missing=missing)
    leave_merge_group(locked, actor=actor)
    transition(locked, to=Proposal.State.WITHDRAWN, actor=actor, verb="withdrawn", note=note)
    proposal.refresh_from_db()
    return proposal
