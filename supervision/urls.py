"""URL patterns of the supervision app, one list per interface; congress/urls.py mounts them under
`supervision/` (namespaces public:supervision, portal:supervision, console:supervision,
api:supervision — the API at /api/v1/supervision/)."""

from supervision import api
from supervision.views import ballot, console, console_statistics, documents, portal, public

console_patterns = console.urlpatterns
console_patterns += ballot.console_urlpatterns
console_patterns += documents.urlpatterns
console_patterns += console_statistics.urlpatterns
portal_patterns = portal.urlpatterns
public_patterns = public.urlpatterns
public_patterns += ballot.public_urlpatterns
api_patterns = api.urlpatterns
