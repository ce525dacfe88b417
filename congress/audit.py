"""django-auditlog registration: every domain model of every app is audited (SECURITY S20).

Apps register their own models here too, by listing them in `AUDITED_APPS`; a model that opts out
must say why in `NOT_AUDITED`.
"""

from auditlog.registry import auditlog
from django.apps import apps

from congress.fields import BlindIndexField, EncryptedTextField

AUDITED_APPS = ("congress", "deputies", "suggestions", "supervision", "contact_stations")

# Event rows are themselves the audit trail, seals and chain heads its hash chain; deliveries
# and notifications are message plumbing; earlier password hashes, backup codes, SMS codes,
# single-use link rows and stored idempotent API responses are claims, secrets, token
# digests and replays, not business data.
NOT_AUDITED = {
    "congress.event",
    "congress.auditseal",
    "congress.auditchainhead",
    "congress.passwordhistory",
    "congress.backupcode",
    "congress.idempotencykey",
    "congress.delivery",
    "congress.notification",
    "suggestions.ratinglink",
    "contact_stations.smscode",
}

# Fields never written to the audit log: secrets, token digests, and personal data in clear
# that is anonymised later (an audit row would outlive the anonymisation, SECURITY S19).
EXCLUDED_FIELDS = {
    "congress.user": ["password", "last_login"],
    "contact_stations.opinion": ["citizen_name"],
    "contact_stations.returnvisit": ["token_hash"],
    "deputies.ballotslip": ["token_digest"],
}


def _never_logged(model) -> list[str]:
    """Encrypted fields and their blind indexes stay out of the log (SECURITY S17); the service's
    event row records that a phone or ID number was changed, by whom and when."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField | BlindIndexField)
    ]


def register_all():
    for app_label in AUDITED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label_lower
            if label in NOT_AUDITED or auditlog.contains(model):
                continue
            auditlog.register(model, exclude_fields=EXCLUDED_FIELDS.get(label, []) + _never_logged(model))


register_all()
