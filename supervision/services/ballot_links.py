"""Members' phone links to their satisfaction-vote ballots.

A link carries a random token signed with a timestamp (`django.core.signing.TimestampSigner`), so
an old link expires without a stored expiry and a forged one is refused before any query. Only
the SHA-256 digest of the random part is stored on the `MemberBallot`; the token itself exists only
in the notification sent to the member. Re-sending replaces the digest, so the old link stops
working (`supervision.services.votes.ballot_link_resend`).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.notifications.bulk import Reminder, notify_many
from congress.workflow import WorkflowError
from supervision.models import SatisfactionVote

SALT = "supervision.ballot-link"
# A vote is held at one standing-committee meeting; a week covers it and a late re-send.
DEFAULT_MAX_AGE = datetime.timedelta(days=7)
TITLE_LENGTH = 200  # Notification.title


class BallotLinkExpired(WorkflowError):
    code = "ballot_link_expired"
    default_message = gettext_lazy("This voting link has expired. Ask the office to send you a new one.")


class BallotLinkInvalid(WorkflowError):
    code = "ballot_link_invalid"
    status = 404
    default_message = gettext_lazy("This voting link is not valid. Use the latest link the office sent you.")


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def max_age() -> datetime.timedelta:
    return getattr(settings, "SUPERVISION_BALLOT_LINK_MAX_AGE", DEFAULT_MAX_AGE)


def sign(raw_token: str) -> str:
    return _signer().sign(raw_token)


def unsign(link_token: str) -> str:
    """The random part of a link token, or `BallotLinkExpired` / `BallotLinkInvalid`."""
    try:
        return _signer().unsign(link_token or "", max_age=max_age())
    except signing.SignatureExpired:
        raise BallotLinkExpired() from None
    except signing.BadSignature:
        raise BallotLinkInvalid() from None


def ballot_path(link_token: str) -> str:
    return reverse("public:supervision:ballot", args=[link_token])


def _reminder(vote: SatisfactionVote, member_id: int, link_token: str, digest: str) -> Reminder:
    path = ballot_path(link_token)
    link = getattr(settings, "SITE_URL", "").rstrip("/") + path
    # The SMS of an urgent notification carries its title only, so the link goes in the title;
    # the topic is shortened to leave room for it.
    template = _("Satisfaction vote on “%(topic)s” (round %(round)s): vote once at %(url)s")
    room = TITLE_LENGTH - len(template % {"topic": "", "round": vote.round, "url": link})
    topic = Truncator(vote.topic.title).chars(max(room, 8))
    return Reminder(
        recipient_ids=frozenset([member_id]), kind="supervision.vote_link",
        title=template % {"topic": topic, "round": vote.round, "url": link}, url=path, urgent=True,
        # The digest names this link: a re-send is a new notification, a retry is not.
        dedupe_key=f"vote-link:{vote.pk}:{digest[:16]}",
    )


def send_links(vote: SatisfactionVote, issued: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Notify each member of their link (member id → (raw token, digest)); returns the link tokens."""
    links = {member_id: sign(raw) for member_id, (raw, _digest) in issued.items()}
    notify_many(_reminder(vote, member_id, links[member_id], issued[member_id][1]) for member_id in issued)
    return links
