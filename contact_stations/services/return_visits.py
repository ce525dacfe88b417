"""Return visits (回访): the citizen rates the answer once per closure; 不满意 reopens the item.

The rating link carries a random token of which only a SHA-256 digest is stored. A rating is
accepted under a lock on the opinion row, the same lock every state change takes, and only while
the opinion is still closed in the round the visit belongs to; the visit itself is claimed by a
conditional update (`rated_at IS NULL`), and the token is wiped in the same write, so a link
works once and a rating never lands on a closure that has since been reopened.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.notifications import sms
from congress.workflow import StaleState, WorkflowError, record_event
from contact_stations import permissions
from contact_stations.models import Opinion, Rating, ReturnVisit
from contact_stations.services.opinions import opinion_reopen

# The public page that takes a rating; the public views mount it at this path (public:stations:rate).
RATE_PATH = "/stations/opinions/rate/{token}/"


class RatingLinkInvalid(WorkflowError):
    code = "rating_link_invalid"
    status = 404
    default_message = gettext_lazy("This rating link is not valid or has already been used.")


def token_digest(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def rating_url(token: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + RATE_PATH.format(token=token)


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, token_digest(token)


def return_visit_send_link(*, visit_id: int, resend: bool = False) -> str | None:
    """Send the rating link by SMS; returns the token, or None when there is nothing to send.

    The send is claimed by a conditional update before the message goes out, so a task delivered
    twice sends one SMS. A gateway failure releases the claim and re-raises for Celery's retry.
    With `resend` a fresh token replaces the old one (whose link then stops working).
    """
    token, digest = _new_token()
    now = timezone.now()
    with transaction.atomic():
        visit = ReturnVisit.objects.select_related("opinion").filter(pk=visit_id).first()
        if visit is None or visit.rated_at is not None:
            return None
        opinion = visit.opinion
        if opinion.anonymised_at or not opinion.citizen_phone:
            return None
        claim = ReturnVisit.objects.filter(pk=visit_id, rated_at__isnull=True)
        if not resend:
            claim = claim.filter(link_sent_at__isnull=True)
        if not claim.update(token_hash=digest, link_sent_at=now, channel=ReturnVisit.Channel.LINK):
            return None
    message = _(
        "Your opinion %(code)s has been answered. Please tell us whether you are satisfied: %(url)s"
    ) % {"code": opinion.receipt_code, "url": rating_url(token)}
    try:
        sms.get_backend().send(phone=opinion.citizen_phone, message=message)
    except sms.SmsError:
        ReturnVisit.objects.filter(pk=visit_id, token_hash=digest).update(token_hash=None, link_sent_at=None)
        raise
    return token


def return_visit_resend_link(*, actor, visit: ReturnVisit) -> str | None:
    if not permissions.can_record_return_visit_call(actor, visit.opinion):
        raise PermissionDenied
    token = return_visit_send_link(visit_id=visit.pk, resend=True)
    if token:
        record_event(visit.opinion, actor=actor, verb="rating_link_resent", data={"round": visit.round})
    return token


def _clean(rating: str, reason: str) -> str:
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose a rating.")})
    reason = (reason or "").strip()
    if rating == Rating.UNSATISFIED and not reason:
        raise ValidationError({"reason": _("Tell us why you are not satisfied.")})
    return reason


def _apply(
    visit_filter, *, opinion_id: int, round_number: int, rating: str, reason: str, recorded_by, channel: str
):
    """Under the opinion's row lock: claim the visit of this closure round and apply the rating."""
    opinion = (
        Opinion.objects.select_for_update(of=("self",)).select_related("body", "region", "station").get(pk=opinion_id)
    )
    if opinion.state != Opinion.State.CLOSED or opinion.closure_round != round_number:
        # Reopened (and perhaps closed again) since the link went out: this closure no longer stands.
        raise StaleState(_("This answer has been reopened since; your rating no longer applies to it."))
    now = timezone.now()
    claimed = visit_filter.filter(rated_at__isnull=True).update(
        rating=rating, reason=reason, rated_at=now, token_hash=None, recorded_by=recorded_by, channel=channel,
        updated_at=now,
    )
    if not claimed:
        raise RatingLinkInvalid()
    record_event(
        opinion, actor=recorded_by, verb="rated", data={"round": round_number, "rating": rating, "channel": channel}
    )
    if rating == Rating.UNSATISFIED:
        opinion_reopen(actor=recorded_by, opinion=opinion, reason=reason, expected=Opinion.State.CLOSED, allowed=None)
    return opinion


def return_visit_rate(*, token: str, rating: str, reason: str = "") -> ReturnVisit:
    """The citizen rates through the single-use link."""
    reason = _clean(rating, reason)
    digest = token_digest(token)
    with transaction.atomic():
        visit = ReturnVisit.objects.filter(token_hash=digest, rated_at__isnull=True).first()
        if visit is None:
            raise RatingLinkInvalid()
        _apply(
            ReturnVisit.objects.filter(pk=visit.pk, token_hash=digest),
            opinion_id=visit.opinion_id, round_number=visit.round, rating=rating, reason=reason,
            recorded_by=None, channel=ReturnVisit.Channel.LINK,
        )
    visit.refresh_from_db()
    return visit


def return_visit_record_call(*, actor, opinion: Opinion, rating: str, reason: str = "") -> ReturnVisit:
    """The keeper phoned a citizen (no link, or no phone for SMS) and records the rating given."""
    reason = _clean(rating, reason)
    if not permissions.can_record_return_visit_call(actor, opinion):
        raise PermissionDenied
    with transaction.atomic():
        visit = ReturnVisit.objects.filter(opinion=opinion, round=opinion.closure_round).first()
        if visit is None:
            raise RatingLinkInvalid()
        _apply(
            ReturnVisit.objects.filter(pk=visit.pk),
            opinion_id=opinion.pk, round_number=visit.round, rating=rating, reason=reason,
            recorded_by=actor, channel=ReturnVisit.Channel.PHONE_CALL,
        )
    visit.refresh_from_db()
    opinion.refresh_from_db()
    return visit
