"""URL patterns of the deputies app, one list per interface; congress/urls.py mounts them."""

from deputies import api
from deputies.views import console, console_selection, console_voter_reports, portal, public

console_patterns = console.urlpatterns + console_selection.urlpatterns + console_voter_reports.urlpatterns
portal_patterns = portal.urlpatterns
public_patterns = public.urlpatterns
api_patterns = api.urlpatterns
