"""URL patterns of the supervision app, one list per interface; congress/urls.py mounts them under
`supervision/` (namespaces public:supervision, portal:supervision, console:supervision,
api:supervision — the API at /api/v1/supervision/)."""

from supervision import api
from supervision.views import (
    console,
    console_evaluations,
    console_inquiries,
    console_letters,
    portal,
    public,
    public_questionnaire,
)

console_patterns = (
    console.urlpatterns + console_inquiries.urlpatterns + console_evaluations.urlpatterns
    + console_letters.urlpatterns
)
portal_patterns = portal.urlpatterns
public_patterns = public.urlpatterns + public_questionnaire.urlpatterns
api_patterns = api.urlpatterns
