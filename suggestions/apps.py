from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Motions and suggestions")

    def ready(self):
        from congress import timeline
        from suggestions.timeline import VERBS

        timeline.register(self.label, VERBS)
