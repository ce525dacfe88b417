"""The audit trail for auditors (SECURITY S20, S21): who changed what and when, read-only."""

import datetime

from django.shortcuts import render
from django.urls import path

from congress import access, permissions, security_log, selectors_audit
from congress.views.support import page

STREAMS = ("changes", "events")


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@access.require(permissions.can_read_audit)
def audit_trail(request):
    models = selectors_audit.audited_models()
    by_key = {f"{model.app_label}.{model.model}": model for model in models}
    stream = request.GET.get("stream") if request.GET.get("stream") in STREAMS else "changes"
    filters = selectors_audit.AuditFilters(
        model=by_key.get(request.GET.get("model", "")),
        actor=request.GET.get("actor", "").strip()[:150],
        object_id=request.GET.get("object", "").strip()[:64],
        since=_date(request.GET.get("since", "")),
        until=_date(request.GET.get("until", "")),
    )
    rows = selectors_audit.field_changes(filters) if stream == "changes" else selectors_audit.events(filters)
    security_log.log("audit_viewed", request=request, username=request.user.get_username(), detail=stream)
    return render(request, "console/congress/audit_trail.html", {
        "stream": stream, "page_obj": page(request, rows), "models": models, "filters": filters,
        "model_key": request.GET.get("model", "") if filters.model else "", "heads": selectors_audit.chain_heads(),
    })


urlpatterns = [
    path("audit/", audit_trail, name="audit_trail"),
]
