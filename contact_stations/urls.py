"""URL patterns of the contact-stations app, one list per interface; congress/urls.py mounts them
under `stations/` (namespaces public:stations, portal:stations, console:stations, api:stations)."""

from contact_stations import api
from contact_stations.views import cards, console, console_activities, portal, public

console_patterns = console.urlpatterns + console_activities.urlpatterns + cards.urlpatterns
portal_patterns = portal.urlpatterns
public_patterns = public.urlpatterns
api_patterns = api.urlpatterns
