"""Data repair by superusers only (DESIGN §1): lists editable, workflow rows read-only."""

from django.contrib import admin

from congress.admin import ReadOnlyAdmin
from suggestions.models import (
    Assignment,
    Category,
    FaceToFaceSession,
    Proposal,
    Rating,
    ReplyClass,
    ReturnReason,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "body", "committee", "order", "is_active")
    list_filter = ("body", "is_active")


@admin.register(ReturnReason)
class ReturnReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "body", "order", "is_active")
    list_filter = ("body",)


@admin.register(ReplyClass)
class ReplyClassAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "body", "requires_commitment", "counts_as_solved", "is_active")
    list_filter = ("body",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "kind", "state", "body", "received_on")
    list_filter = ("kind", "state", "body")
    search_fields = ("number", "title")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "unit", "role", "state", "reply_due")
    list_filter = ("role", "state")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "round", "rater_group", "attitude", "result", "entered_by_staff", "submitted_at")


@admin.register(FaceToFaceSession)
class FaceToFaceSessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "starts_at", "place", "state")
    list_filter = ("state", "body")
