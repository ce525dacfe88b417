"""URL patterns of the supervision app, one list per interface; congress/urls.py mounts them under
`supervision/` (namespaces public:supervision, portal:supervision, console:supervision,
api:supervision — the API at /api/v1/supervision/)."""

from supervision import api
from supervision.views import console, console_inquiries, console_letters, portal, public

console_patterns = console.urlpatterns + console_inquiries.urlpatterns + console_letters.urlpatterns
portal_patterns = portal.urlpatterns
public_patterns = public.urlpatterns
api_patterns = api.urlpatterns
