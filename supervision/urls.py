"""URL patterns of the supervision app, one list per interface; congress/urls.py mounts them under
`supervision/` (namespaces public:supervision, portal:supervision, console:supervision,
api:supervision — the API at /api/v1/supervision/)."""

from supervision import api
from supervision.views import (
    ballot,
    console,
    console_evaluations,
    console_inquiries,
    console_letters,
    console_opinions,
    console_solicitation,
    console_statistics,
    documents,
    files,
    portal,
    public,
    public_questionnaire,
)

console_patterns = (
    console.urlpatterns + ballot.console_urlpatterns + documents.urlpatterns + console_statistics.urlpatterns
    + console_inquiries.urlpatterns + console_evaluations.urlpatterns + console_letters.urlpatterns
    + files.urlpatterns + console_opinions.urlpatterns + console_solicitation.urlpatterns
)
portal_patterns = portal.urlpatterns
public_patterns = public.urlpatterns + ballot.public_urlpatterns + public_questionnaire.urlpatterns
api_patterns = api.urlpatterns
