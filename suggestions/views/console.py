"""Console pages of the suggestions app, mounted at /console/suggestions/: the office's
(`console_staff`) and the handling units' (`console_units`)."""

from suggestions.views import console_merging, console_sessions, console_staff, console_units

urlpatterns = (
    console_staff.urlpatterns + console_merging.urlpatterns + console_units.urlpatterns + console_sessions.urlpatterns
)
