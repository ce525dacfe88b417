"""The contact-stations section of the console sidebar (collected by congress.context_processors)."""

from django.utils.translation import gettext_lazy as _

from contact_stations.views import console

CONSOLE_SECTIONS = (
    (
        _("Contact stations"),
        (
            (_("Stations"), "console:stations:station_list", "house-door", console.can_read_stations,
             ("station_", "roster_", "shift_")),
            (_("Citizens’ opinions"), "console:stations:opinion_queue", "chat-left-text", console.can_read_opinions,
             ("opinion_", "return_visit_")),
            (_("Station activities"), "console:stations:activity_list", "people", console.can_read_stations,
             ("activity_",)),
            (_("Station statistics"), "console:stations:statistics", "bar-chart", console.can_read_stations,
             ("statistics",)),
        ),
    ),
)
