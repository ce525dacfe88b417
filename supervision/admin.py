"""Data repair by superusers only (DESIGN §1): windows editable, workflow rows read-only.

Ballots and questionnaire links are not registered at all: their token digests have no use in a
screen, and a secret ballot is better left unlisted."""

from django.contrib import admin

from congress.admin import ReadOnlyAdmin
from supervision.models import (
    AnnualPlan,
    DeliberationOpinion,
    Dialogue,
    LetterVisit,
    PlanVersion,
    RectificationItem,
    SatisfactionVote,
    SolicitationWindow,
    Topic,
    TopicProposal,
    WorkEvaluation,
)


@admin.register(SolicitationWindow)
class SolicitationWindowAdmin(admin.ModelAdmin):
    list_display = ("year", "body", "opens_on", "closes_on", "closed_at")
    list_filter = ("body",)


@admin.register(TopicProposal)
class TopicProposalAdmin(ReadOnlyAdmin):
    list_display = ("title", "channel", "state", "body", "year", "merged_into")
    list_filter = ("state", "channel", "body", "year")
    search_fields = ("title",)
    exclude = ("citizen_phone",)


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "year", "state", "published_version")
    list_filter = ("body", "state")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "published_at")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "state", "plan", "meeting_date")
    list_filter = ("kind", "state")
    search_fields = ("title",)


@admin.register(DeliberationOpinion)
class DeliberationOpinionAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "round", "failures", "topic")
    list_filter = ("state",)


@admin.register(SatisfactionVote)
class SatisfactionVoteAdmin(ReadOnlyAdmin):
    list_display = ("topic", "subject", "round", "dimension", "state", "passed")
    list_filter = ("subject", "state")


@admin.register(RectificationItem)
class RectificationItemAdmin(ReadOnlyAdmin):
    list_display = ("item", "owner_unit", "round", "due_on", "status")
    list_filter = ("status",)


@admin.register(WorkEvaluation)
class WorkEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "phase", "round")


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdmin):
    list_display = ("theme", "series", "unit", "date", "state")


@admin.register(LetterVisit)
class LetterVisitAdmin(ReadOnlyAdmin):
    list_display = ("received_on", "kind", "theme", "state", "unit")
    list_filter = ("kind", "state", "theme")
    exclude = ("petitioner_phone",)
