from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress institutions")

    def ready(self):
        from congress import audit, checks, signals, timeline  # noqa: F401  (registration on import)

        timeline.register(self.label, timeline.CONGRESS_VERBS)
