"""django-auditlog registration: every domain model of every app is audited (SECURITY S20).

Apps register their own models here too, by listing them in `AUDITED_APPS`; a model that opts out
must say why in `NOT_AUDITED`.
"""

from auditlog.registry import auditlog
from django.apps import apps

AUDITED_APPS = ("congress", "deputies", "suggestions", "supervision", "contact_stations")

# Event rows are themselves the audit trail; deliveries and notifications are message plumbing.
NOT_AUDITED = {"congress.event", "congress.delivery", "congress.notification"}

EXCLUDED_FIELDS = {"congress.user": ["password", "last_login", "phone_index"]}
MASKED_FIELDS = {"congress.user": ["phone"]}


def register_all():
    for app_label in AUDITED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label_lower
            if label in NOT_AUDITED or auditlog.contains(model):
                continue
            auditlog.register(
                model,
                exclude_fields=EXCLUDED_FIELDS.get(label, []),
                mask_fields=MASKED_FIELDS.get(label, []),
            )


register_all()
