"""What the suggestion services share: typed refusals, recipients, defaults per body."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Body, RoleGrant
from congress.models.accounts import Role
from congress.workflow import TransitionForbidden, WorkflowError
from suggestions.models import Proposal, ReplyClass, ReturnReason, Signer

# ---- refusals with stable codes (the API returns `code` with status 409) --------------------


class ContactRequired(WorkflowError):
    code = "contact_required"
    default_message = _("Record a contact with the deputy before submitting the reply.")


class CommitmentRequired(WorkflowError):
    code = "commitment_required"
    default_message = _("A reply of this class must carry at least one dated commitment.")


class SignersBelowThreshold(WorkflowError):
    code = "motion_signers_below_threshold"
    default_message = _("A motion needs more confirmed signers before it can be submitted.")


class WithdrawalConsentMissing(WorkflowError):
    code = "withdrawal_consent_missing"
    default_message = _("Every signer must consent before the proposal can be withdrawn.")


class ObjectionTooLate(WorkflowError):
    code = "objection_late"
    default_message = _("The objection window has closed.")


class ExtensionBeyondCap(WorkflowError):
    code = "extension_beyond_cap"
    default_message = _("The due date may not be later than six months after assignment.")


class AlreadyRated(WorkflowError):
    code = "already_rated"
    default_message = _("This round has already been rated; submit a correction instead.")


class RatingWindowClosed(WorkflowError):
    code = "rating_window_closed"
    default_message = _("The evaluation period has ended.")


class RatingLinkInvalid(WorkflowError):
    code = "rating_link_invalid"
    status = 404
    default_message = _("This rating link is invalid, expired or already used.")


class NotRehandlable(WorkflowError):
    code = "not_unsatisfied"
    default_message = _("Re-handling is ordered only after an unsatisfied result.")


def forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise TransitionForbidden()


def today() -> datetime.date:
    return timezone.localdate()


# ---- per-body defaults of the configurable lists --------------------------------------------

# Stored as data, in the institution's own words (DESIGN §4); staff rename or extend them per body.
DEFAULT_REPLY_CLASSES = (
    # code, name, requires_commitment, counts_as_solved
    ("A", "已经解决或基本解决", False, True),
    ("B", "正在解决或列入规划逐步解决", True, False),
    ("C", "因条件限制需待以后解决", True, False),
    ("D", "留作参考", False, False),
)
DEFAULT_RETURN_REASONS = (
    ("jurisdiction", "不属于本级人大职权范围"),
    ("personal", "属于代表本人及其亲属的个人事务"),
    ("judicial_case", "涉及具体司法案件"),
    ("forwarded_letter", "属于转交的人民来信"),
    ("promotion", "为单位或个人宣传推介"),
    ("no_content", "没有具体内容"),
)


def ensure_defaults(body: Body) -> None:
    """Give a body the default reply classes and return reasons the first time it needs them.

    The names are stored as data (staff edit them), in Chinese like every other name in the data.
    """
    if not ReplyClass.objects.filter(body=body).exists():
        ReplyClass.objects.bulk_create(
            [
                ReplyClass(body=body, code=code, name=name, requires_commitment=needs, counts_as_solved=solved, order=i)
                for i, (code, name, needs, solved) in enumerate(DEFAULT_REPLY_CLASSES)
            ],
            ignore_conflicts=True,
        )
    if not ReturnReason.objects.filter(body=body).exists():
        ReturnReason.objects.bulk_create(
            [
                ReturnReason(body=body, code=code, name=name, order=i)
                for i, (code, name) in enumerate(DEFAULT_RETURN_REASONS)
            ],
            ignore_conflicts=True,
        )


# ---- recipients ----------------------------------------------------------------------------

STAFF_ROLES = (Role.STAFF_ADMIN, Role.STAFF_CLERK)


def unit_officer_ids(unit_ids) -> list[int]:
    return list(
        RoleGrant.objects.active()
        .filter(role=Role.UNIT_OFFICER, unit_id__in=list(unit_ids), user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def staff_ids(body: Body) -> list[int]:
    """The office staff of the body (unscoped-to-committee clerks and admins)."""
    return list(
        RoleGrant.objects.active()
        .filter(role__in=STAFF_ROLES, body=body, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def leader_ids(body: Body) -> list[int]:
    return list(
        RoleGrant.objects.active()
        .filter(role=Role.LEADER, body=body, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def committee_staff_ids(committee) -> list[int]:
    if committee is None:
        return []
    return list(
        RoleGrant.objects.active()
        .filter(Q(committee=committee) & Q(role__in=(*STAFF_ROLES, Role.LEADER, Role.MEMBER)), user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def signer_user_ids(proposal: Proposal, *, confirmed_only: bool = True) -> list[int]:
    signers = Signer.objects.filter(proposal=proposal, deputy__user__isnull=False)
    if confirmed_only:
        signers = signers.filter(confirmed_at__isnull=False)
    return list(signers.values_list("deputy__user_id", flat=True).distinct())
