"""URL patterns of this app, one list per interface; congress/urls.py mounts them under "suggestions/"."""

from suggestions import api
from suggestions.views import console, portal, portal_sessions, public

console_patterns = console.urlpatterns
portal_patterns = portal.urlpatterns + portal_sessions.urlpatterns
public_patterns = public.urlpatterns
api_patterns = api.urlpatterns
