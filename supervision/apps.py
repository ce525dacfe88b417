from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from congress import timeline
        from supervision.timeline import VERBS

        timeline.register(self.label, VERBS)
