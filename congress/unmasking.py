"""The one way personal data is shown in full (SECURITY S18): a permission, a stated reason, a
structured `unmask` security line and an `unmasked` event on the object's timeline.

Each app keeps its own predicate (who may unmask what) and returns the values; the check, the log
line and the event are this module's, so every unmasking is recorded the same way.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from congress import security_log
from congress.workflow import record_event


def record_unmask(*, actor, obj, allowed: bool, field: str, reason: str, request=None, reason_required=True) -> None:
    """Refuse (logging the denial) unless `allowed` and a reason is given; then log the `unmask`
    security line and write the `unmasked` event. Call it inside the service, before returning
    the full value."""
    target = f"{obj._meta.label_lower}:{obj.pk}"
    if not allowed:
        security_log.permission_denied(request, detail=f"unmask {target}")
        raise PermissionDenied
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("A reason is required to see the full value.")})
    security_log.log(
        "unmask", request=request, username=actor.get_username(), object=target, field=field, reason=reason
    )
    record_event(obj, actor=actor, verb="unmasked", note=reason, data={"field": field})
