"""The yearly solicitation of topics: open and close the window, propose, merge, adopt, decline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body, Committee, Region
from congress.notifications.services import notify
from congress.workflow import record_event, transition
from deputies.models import Deputy
from supervision import permissions
from supervision.models import AnnualPlan, SolicitationWindow, Topic, TopicProposal, default_window
from supervision.services import citizen_sms
from supervision.services.common import forbid_unless, today
from supervision.services.plan import topic_create

Channel = TopicProposal.Channel
State = TopicProposal.State


@transaction.atomic
def solicitation_open(
    *, actor, body: Body, year: int, opens_on: datetime.date | None = None, closes_on: datetime.date | None = None,
    announcement: str = "",
) -> SolicitationWindow:
    """Open (or re-date) the window for the plan of `year`; by default the fourth quarter before it."""
    forbid_unless(permissions.can_manage_solicitation(actor, body))
    default_opens, default_closes = default_window(year - 1)
    opens_on, closes_on = opens_on or default_opens, closes_on or default_closes
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The window must close after it opens.")})
    window, created = SolicitationWindow.objects.select_for_update().get_or_create(
        body=body, year=year, defaults={"opens_on": opens_on, "closes_on": closes_on, "announcement": announcement}
    )
    if not created:
        window.opens_on, window.closes_on, window.closed_at = opens_on, closes_on, None
        window.announcement = announcement or window.announcement
        window.save(update_fields=["opens_on", "closes_on", "closed_at", "announcement", "updated_at"])
    record_event(window, actor=actor, verb="opened", data={"opens_on": str(opens_on), "closes_on": str(closes_on)})
    return window


@transaction.atomic
def solicitation_close(*, actor, window: SolicitationWindow) -> SolicitationWindow:
    forbid_unless(permissions.can_manage_solicitation(actor, window.body))
    updated = SolicitationWindow.objects.filter(pk=window.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), updated_at=timezone.now()
    )
    window.refresh_from_db()
    if updated:
        record_event(window, actor=actor, verb="closed")
    return window


def _clean(title: str, necessity: str) -> tuple[str, str]:
    title, necessity = (title or "").strip(), (necessity or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the topic a title.")
    if not necessity:
        errors["necessity"] = _("Say why the topic is needed.")
    if errors:
        raise ValidationError(errors)
    return title, necessity


def _create(*, actor, body, year, title, necessity, problem, channel, window=None, **fields) -> TopicProposal:
    title, necessity = _clean(title, necessity)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    proposal = TopicProposal.objects.create(
        body=body, year=year, window=window, title=title[:200], necessity=necessity, problem=(problem or "").strip(),
        channel=channel, created_by=actor if actor is not None and actor.is_authenticated else None, **fields,
    )
    record_event(proposal, actor=actor, verb="proposed", to_state=proposal.state, data={"channel": channel})
    return proposal


def _open_window(body: Body, day: datetime.date) -> SolicitationWindow:
    window = SolicitationWindow.objects.filter(body=body, opens_on__lte=day, closes_on__gte=day,
                                               closed_at__isnull=True).first()
    if window is None:
        raise ValidationError(_("Topic solicitation is not open at present."), code="solicitation_closed")
    return window


@transaction.atomic
def proposal_submit_public(
    *, body: Body, title: str, necessity: str, problem: str = "", name: str = "", phone: str = "",
    phone_verified: bool = False,
) -> TopicProposal:
    """A citizen's proposal from the public form, while the window is open. The contact is
    optional; the form verifies the phone by SMS code before it passes `phone_verified`."""
    window = _open_window(body, today())
    return _create(
        actor=None, body=body, year=window.year, window=window, title=title, necessity=necessity, problem=problem,
        channel=Channel.PUBLIC, citizen_name=(name or "").strip()[:64], citizen_phone=(phone or "").strip(),
        phone_verified=bool(phone) and phone_verified,
    )


@transaction.atomic
def proposal_submit_by_deputy(*, actor, deputy: Deputy, title: str, necessity: str, problem: str = "") -> TopicProposal:
    """A deputy's proposal from the portal, for the body of their mandate, while the window is open."""
    forbid_unless(permissions.can_propose_for_deputy(actor, deputy))
    window = _open_window(deputy.body, today())
    return _create(
        actor=actor, body=deputy.body, year=window.year, window=window, title=title, necessity=necessity,
        problem=problem, channel=Channel.DEPUTY_SUGGESTION, proposer_user=actor, proposer_deputy=deputy,
    )


@transaction.atomic
def proposal_submit_by_township(
    *, actor, body: Body, region: Region, title: str, necessity: str, problem: str = "", name: str = "",
    phone: str = "",
) -> TopicProposal:
    """A proposal a township office collected at its stations (API), for the body above it."""
    forbid_unless(permissions.can_propose_as_township(actor, region))
    window = _open_window(body, today())
    return _create(
        actor=actor, body=body, year=window.year, window=window, title=title, necessity=necessity, problem=problem,
        channel=Channel.PUBLIC, proposer_user=actor, source_region=region, citizen_name=(name or "").strip()[:64],
        citizen_phone=(phone or "").strip(),
    )


@transaction.atomic
def proposal_submit_by_staff(
    *, actor, body: Body, year: int, title: str, necessity: str, channel: str, problem: str = "",
    committee: Committee | None = None, deputy: Deputy | None = None,
) -> TopicProposal:
    """Staff record a proposal from any channel (a committee's research, members, letters and
    visits, law-enforcement findings), in or out of the window."""
    forbid_unless(permissions.can_manage_solicitation(actor, body))
    if committee is not None and committee.body_id != body.pk:
        raise ValidationError({"committee": _("The committee does not belong to this congress.")})
    window = SolicitationWindow.objects.filter(body=body, year=year).first()
    return _create(
        actor=actor, body=body, year=year, window=window, title=title, necessity=necessity, problem=problem,
        channel=channel, proposer_user=actor, proposer_committee=committee, proposer_deputy=deputy,
    )


def _followers(proposals) -> set[int]:
    users = set()
    for proposal in proposals:
        if proposal.proposer_user_id:
            users.add(proposal.proposer_user_id)
        if proposal.proposer_deputy_id and proposal.proposer_deputy.user_id:
            users.add(proposal.proposer_deputy.user_id)
    return users


def merged_family(proposal: TopicProposal) -> list[TopicProposal]:
    """The proposal and every proposal merged into it, directly or through another (one query per level)."""
    family, level = [proposal], [proposal.pk]
    while level:
        children = list(TopicProposal.objects.filter(merged_into_id__in=level).select_related("proposer_deputy"))
        family += children
        level = [child.pk for child in children]
    return family


@transaction.atomic
def proposal_merge(*, actor, proposal: TopicProposal, into: TopicProposal, note: str = "") -> TopicProposal:
    """Merge a duplicate into another proposal. The duplicate keeps its own text and proposer and
    points to the one it joined, so the lineage into the plan stays visible."""
    forbid_unless(permissions.can_decide_proposal(actor, proposal))
    if into.pk == proposal.pk or into.body_id != proposal.body_id:
        raise ValidationError({"into": _("Choose another proposal of the same congress.")})
    target = TopicProposal.objects.select_for_update().get(pk=into.pk)
    if target.state not in (State.SUBMITTED, State.ADOPTED):
        raise ValidationError({"into": _("A proposal can only be merged into an open or adopted one.")})
    # Refuse a cycle: the target must not already descend from the proposal.
    if target.pk in {member.pk for member in merged_family(proposal)}:
        raise ValidationError({"into": _("This would merge a proposal into its own duplicate.")})
    proposal = transition(
        proposal, to=State.MERGED, actor=actor, verb="merged", note=note, expected=State.SUBMITTED,
        changes={"merged_into": target, "decided_at": timezone.now()}, data={"into": target.pk},
    )
    if target.state == State.ADOPTED:
        # Joined a proposal already adopted: its proposers hear what the others heard.
        recipients = _followers(merged_family(proposal))
        if recipients:
            notify(
                recipients=recipients, kind="supervision.proposal_adopted",
                title=_("Your proposed topic was adopted into the supervision plan: %(topic)s")
                % {"topic": target.adopted_topic.title},
                dedupe_key=f"topic-proposal-decided:{proposal.pk}",
            )
    return proposal


@transaction.atomic
def proposal_adopt(
    *, actor, proposal: TopicProposal, topic: Topic | None = None, plan: AnnualPlan | None = None,
    kind: str | None = None, title: str | None = None, note: str = "",
) -> TopicProposal:
    """Adopt a proposal into a topic of the plan: an existing topic, or a new one in `plan` built
    from the proposal. The proposers, including those of the duplicates merged into it, are told."""
    forbid_unless(permissions.can_decide_proposal(actor, proposal))
    if topic is None:
        if plan is None or kind is None:
            raise ValidationError(_("Choose a topic, or a plan and a kind for a new topic."))
        topic = topic_create(actor=actor, plan=plan, kind=kind, title=title or proposal.title,
                             description=proposal.necessity)
    if topic.plan.body_id != proposal.body_id:
        raise ValidationError({"topic": _("The topic belongs to another congress’s plan.")})
    proposal = transition(
        proposal, to=State.ADOPTED, actor=actor, verb="adopted", note=note, expected=State.SUBMITTED,
        changes={"adopted_topic": topic, "decided_at": timezone.now()}, data={"topic": topic.pk},
    )
    record_event(topic, actor=actor, verb="proposal_adopted", data={"proposal": proposal.pk})
    recipients = _followers(merged_family(proposal))
    if recipients:
        notify(
            recipients=recipients, kind="supervision.proposal_adopted",
            title=_("Your proposed topic was adopted into the supervision plan: %(topic)s") % {"topic": topic.title},
            dedupe_key=f"topic-proposal-decided:{proposal.pk}",
        )
    return proposal


@transaction.atomic
def proposal_decline(*, actor, proposal: TopicProposal, reason: str) -> TopicProposal:
    """Decline with a reason the proposer is told (and those whose duplicates were merged into it):
    a deputy or other account holder in their inbox, a citizen who left a verified phone by SMS."""
    forbid_unless(permissions.can_decide_proposal(actor, proposal))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the proposer will be told.")})
    proposal = transition(
        proposal, to=State.DECLINED, actor=actor, verb="declined", note=reason, expected=State.SUBMITTED,
        changes={"decline_reason": reason, "decided_at": timezone.now()},
    )
    family = merged_family(proposal)
    citizen_sms.schedule(family, proposal)
    recipients = _followers(family)
    if recipients:
        notify(
            recipients=recipients, kind="supervision.proposal_declined",
            title=_("Your proposed topic “%(title)s” was not adopted") % {"title": proposal.title}, body=reason,
            dedupe_key=f"topic-proposal-decided:{proposal.pk}",
        )
    return proposal
