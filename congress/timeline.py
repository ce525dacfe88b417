"""How a timeline's event verbs read: one registry for every app.

The service that writes an event chooses a short verb code ("routed", "phase_appraise"); the app
that owns the verbs registers their translated labels once, in its AppConfig.ready(). A label is
looked up by the event's app first, because the same code can mean different things in two apps
("closed" a suggestion, "closed" a vote), then by any app, and an unregistered verb reads as its
words rather than failing the page.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_LABELS: dict[str, dict] = {}

# The verbs of congress's own services (regions, rule overrides, accounts, API tokens, second
# factor); registered by CongressConfig.ready() like every app's.
CONGRESS_VERBS = {
    "created": pgettext_lazy("timeline", "Created"),
    "updated": pgettext_lazy("timeline", "Updated"),
    "deleted": _("Deleted"),
    "deactivated": _("Account deactivated"),
    "password_changed": pgettext_lazy("timeline", "Password changed"),
    "role_granted": _("Role granted"),
    "role_revoked": _("Role revoked"),
    "token_issued": _("API token issued"),
    "token_revoked": _("API token revoked"),
    "second_factor_enrolled": _("Second factor set up"),
    "backup_codes_regenerated": _("Backup codes regenerated"),
    "second_factor_reset": _("Second factor reset"),
}


def register(app_label: str, labels: dict) -> None:
    """Add `{verb: label}` (lazy translations) for events written by `app_label`."""
    _LABELS.setdefault(app_label, {}).update(labels)


def labels_of(app_label: str) -> dict:
    return dict(_LABELS.get(app_label, {}))


def verb_label(verb: str, app_label: str = "") -> str:
    label = _LABELS.get(app_label, {}).get(verb)
    if label is None:
        label = next((labels[verb] for labels in _LABELS.values() if verb in labels), None)
    return str(label) if label is not None else verb.replace("_", " ")


def event_label(event) -> str:
    """The label of an Event row; the content type comes from Django's cache, not a query per row."""
    app_label = ContentType.objects.get_for_id(event.content_type_id).app_label if event.content_type_id else ""
    return verb_label(event.verb, app_label)
