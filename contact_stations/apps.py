from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactStationsConfig(AppConfig):
    name = "contact_stations"
    verbose_name = _("Deputy contact stations")

    def ready(self):
        from congress import timeline
        from contact_stations.timeline import VERBS

        timeline.register(self.label, VERBS)
