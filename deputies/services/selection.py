"""Writes of the outstanding-deputy selection (优秀代表评选): open, nominate by town, review,
decide within the quota, publish. Every step is an event on the selection's timeline."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Body
from congress.notifications.services import notify
from congress.rules import rules_for
from congress.workflow import IllegalTransition, record_event, transition
from deputies import permissions
from deputies.models import Deputy, Nomination, Selection
from deputies.selectors import _town_path
from deputies.selectors_selection import deputy_town, eligible_pool, quota_for

State = Selection.State


def _run_allowed(actor, selection) -> bool:
    return permissions.can_run_selection(actor, selection.body)


def _locked(selection: Selection, *states) -> Selection:
    """The selection locked for this transaction, refused unless it is in one of `states`."""
    locked = Selection.objects.select_for_update().select_related("body__region").get(pk=selection.pk)
    if states and locked.state not in states:
        raise IllegalTransition(from_state=locked.state)
    return locked


@transaction.atomic
def selection_create(*, actor, body: Body, year: int, title: str = "") -> Selection:
    """Start a congress's selection for a year (one per congress and year)."""
    if not permissions.can_run_selection(actor, body):
        raise PermissionDenied
    title = title.strip() or _("%(year)s outstanding deputies of %(body)s") % {"year": year, "body": body}
    if Selection.objects.filter(body=body, year=year).exists():
        raise ValidationError({"year": _("This congress already has a selection for that year.")})
    selection = Selection(body=body, year=year, title=title[:200], created_by=actor)
    selection.full_clean()
    try:
        with transaction.atomic():
            selection.save()
    except IntegrityError as error:  # a concurrent create won the unique constraint
        raise ValidationError({"year": _("This congress already has a selection for that year.")}) from error
    record_event(selection, actor=actor, verb="created", to_state=selection.state)
    return selection


def selection_open_nominations(*, actor, selection: Selection) -> Selection:
    """Fix the eligible pool and the quota (the body's rule, rounded down) and open nominations."""
    rules = rules_for(selection.body)
    pool_size = eligible_pool(selection.body).count()
    percent = rules.outstanding_quota_percent
    quota = quota_for(pool_size, percent)
    return transition(
        selection,
        to=State.NOMINATING,
        actor=actor,
        verb="nominations_opened",
        allowed=_run_allowed,
        expected=State.OPEN,
        changes={"pool_size": pool_size, "quota_percent": percent, "quota": quota},
        data={"pool_size": pool_size, "quota_percent": percent, "quota": quota},
    )


@transaction.atomic
def nomination_create(*, actor, selection: Selection, deputy: Deputy, reason: str) -> Nomination:
    """A town (its township officer) or the congress's staff put a deputy forward, with a reason.

    The deputy must be in the eligible pool: a serving deputy of the congress who is not a
    district-level leader. The selection row is locked so nominations and the close of
    nominations serialise.
    """
    selection = _locked(selection, State.NOMINATING)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the nomination.")})
    deputy = Deputy.objects.select_related("body__region", "constituency__region", "delegation__region").get(
        pk=deputy.pk
    )
    if not permissions.can_nominate(actor, selection.body, _town_path(deputy)):
        raise PermissionDenied
    if not eligible_pool(selection.body).filter(pk=deputy.pk).exists():
        raise ValidationError(
            {"deputy": _("%(deputy)s is not eligible (not a serving deputy of this congress, or a district-level "
                         "leader).") % {"deputy": deputy.name}}
        )
    if Nomination.objects.filter(selection=selection, deputy=deputy).exists():
        raise ValidationError({"deputy": _("%(deputy)s is already nominated.") % {"deputy": deputy.name}})
    nomination = Nomination.objects.create(
        selection=selection, deputy=deputy, town=deputy_town(deputy), reason=reason.strip(), nominated_by=actor
    )
    record_event(
        selection, actor=actor, verb="nominated", note=reason.strip(),
        data={"deputy": deputy.pk, "nomination": nomination.pk},
    )
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination) -> None:
    """Withdraw a nomination while nominations are open (by whoever may nominate that deputy)."""
    selection = _locked(nomination.selection, State.NOMINATING)
    deputy = nomination.deputy
    if not permissions.can_nominate(actor, selection.body, _town_path(deputy)):
        raise PermissionDenied
    Nomination.objects.filter(pk=nomination.pk).delete()
    record_event(selection, actor=actor, verb="nomination_withdrawn", data={"deputy": deputy.pk})


def selection_close_nominations(*, actor, selection: Selection) -> Selection:
    """Close nominations and start the review."""
    if not selection.nominations.exists():
        raise ValidationError(_("No deputy has been nominated yet."))
    return transition(
        selection, to=State.REVIEWING, actor=actor, verb="nominations_closed", allowed=_run_allowed,
        expected=State.NOMINATING,
    )


def selection_reopen_nominations(*, actor, selection: Selection, note: str) -> Selection:
    """Send the list back to the towns from review, with a reason."""
    if not note.strip():
        raise ValidationError({"note": _("A reason is required.")})
    return transition(
        selection, to=State.NOMINATING, actor=actor, verb="nominations_reopened", note=note, allowed=_run_allowed,
        expected=State.REVIEWING,
    )


@transaction.atomic
def nomination_review(*, actor, nomination: Nomination, review: str, note: str = "") -> Nomination:
    """Record the review's opinion of one nomination (recommended or not, with a note)."""
    selection = _locked(nomination.selection, State.REVIEWING)
    if not permissions.can_run_selection(actor, selection.body):
        raise PermissionDenied
    review = Nomination.Review(review)
    if review == Nomination.Review.NOT_RECOMMENDED and not note.strip():
        raise ValidationError({"note": _("Say why the nomination is not recommended.")})
    Nomination.objects.filter(pk=nomination.pk).update(review=review, review_note=note, updated_at=timezone.now())
    nomination.review, nomination.review_note = review, note
    record_event(
        selection, actor=actor, verb="nomination_reviewed", note=note,
        data={"deputy": nomination.deputy_id, "review": review},
    )
    return nomination


@transaction.atomic
def selection_decide(*, actor, selection: Selection, selected: Iterable[Nomination | int], note: str = "") -> Selection:
    """Decide who is selected: nominations of this selection, at most the quota, all still eligible.

    The quota was fixed when nominations opened; it is enforced here, where the list becomes
    final, so towns may put forward more candidates than there are places.
    """
    selection = _locked(selection, State.REVIEWING)
    if not permissions.can_run_selection(actor, selection.body):
        raise PermissionDenied
    chosen_ids = {item if isinstance(item, int) else item.pk for item in selected}
    chosen = list(Nomination.objects.filter(selection=selection, pk__in=chosen_ids).select_related("deputy"))
    if len(chosen) != len(chosen_ids):
        raise ValidationError({"selected": _("Choose among this selection's nominations.")})
    if not chosen:
        raise ValidationError({"selected": _("Choose at least one deputy.")})
    if len(chosen) > selection.quota:
        raise ValidationError(
            {"selected": _("%(count)s deputies chosen, but the quota is %(quota)s.")
             % {"count": len(chosen), "quota": selection.quota}}
        )
    chosen_deputies = [nomination.deputy_id for nomination in chosen]
    eligible = set(eligible_pool(selection.body).filter(pk__in=chosen_deputies).values_list("pk", flat=True))
    ineligible = [n.deputy.name for n in chosen if n.deputy_id not in eligible]
    if ineligible:
        raise ValidationError(
            {"selected": _("No longer eligible: %(names)s.") % {"names": ", ".join(ineligible)}}
        )
    now = timezone.now()
    Nomination.objects.filter(selection=selection).update(outcome=Nomination.Outcome.NOT_SELECTED, updated_at=now)
    Nomination.objects.filter(pk__in=chosen_ids).update(outcome=Nomination.Outcome.SELECTED, updated_at=now)
    return transition(
        selection, to=State.DECIDED, actor=actor, verb="decided", note=note, allowed=_run_allowed,
        changes={"decision_note": note, "decided_at": now},
        data={"selected": sorted(n.deputy_id for n in chosen), "quota": selection.quota},
    )


@transaction.atomic
def selection_publish(*, actor, selection: Selection) -> Selection:
    """Publish the decided list on the public site and tell the selected deputies."""
    selection = transition(
        selection, to=State.PUBLISHED, actor=actor, verb="published", allowed=_run_allowed,
        expected=State.DECIDED, changes={"published_at": timezone.now()},
    )
    recipients = list(
        Nomination.objects.filter(
            selection=selection, outcome=Nomination.Outcome.SELECTED, deputy__user__isnull=False
        ).values_list("deputy__user_id", flat=True)
    )
    if recipients:
        notify(
            recipients=recipients,
            kind="deputies.selected_outstanding",
            title=_("You have been selected an outstanding deputy: %(title)s") % {"title": selection.title},
            dedupe_key=f"deputies.selected_outstanding:{selection.pk}",
        )
    return selection
