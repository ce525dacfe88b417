"""Roster imports and exports that run in the background, with their progress and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterJob(models.Model):
    """One Excel import or export of the roster.

    Small ones run in the request; large ones (more rows than `DEPUTIES_INLINE_JOB_ROWS`) run in
    Celery while the page polls `processed`/`total`. The uploaded file and the exported workbook
    live under MEDIA_ROOT (outside the web root) and are served only through a permission-checked
    view to the person who started the job (SECURITY S16).
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices)
    state = models.CharField(_("State"), max_length=8, choices=State.choices, default=State.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Import: the congress and term the rows go into. Export: unused (the filters say it all).
    body = models.ForeignKey("congress.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("congress.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Export: the roster filters as given on the list page, and whether full values were asked for.
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(_("Rows"), default=0)
    processed = models.PositiveIntegerField(_("Rows processed"), default=0)
    source_file = models.FileField(upload_to="deputies/jobs/", blank=True)
    result_file = models.FileField(upload_to="deputies/jobs/", blank=True)
    # Import: the bad rows, [{"row": 7, "errors": ["..."]}]; nothing was imported if any.
    row_errors = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Roster import or export")
        verbose_name_plural = _("Roster imports and exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def succeeded(self) -> bool:
        return self.state == self.State.DONE and not self.row_errors
