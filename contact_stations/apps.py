from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactStationsConfig(AppConfig):
    name = "contact_stations"
    verbose_name = _("Deputy contact stations")
