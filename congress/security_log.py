"""Security events as structured log lines with a stable event code (SECURITY S20).

Login, failed login, logout, lockout, permission denial, export and unmask are written to the
`tongxin.security` logger as one JSON object per line, ready for the district's log collector.
"""

import json
import logging

from django.utils import timezone

logger = logging.getLogger("tongxin.security")


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def log(code: str, *, request=None, username: str = "", **fields):
    user = getattr(request, "user", None)
    if not username and user is not None and user.is_authenticated:
        username = user.get_username()
    record = {
        "event": code,
        "time": timezone.localtime().isoformat(),
        "username": username,
        "ip": client_ip(request),
        "path": request.path if request is not None else "",
        **fields,
    }
    logger.info(json.dumps(record, ensure_ascii=False, default=str))
    return record


def permission_denied(request, detail: str = ""):
    return log("permission_denied", request=request, detail=detail)
