from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies’ duties")

    def ready(self):
        from congress import timeline
        from deputies.timeline import VERBS

        timeline.register(self.label, VERBS)
