"""Data repair by superusers (the admin site admits nobody else; see congress/admin.py).

ID numbers and phones are not shown here: they are personal data, changed in the console where
they are masked and unmasking is logged (SECURITY S17, S18). Workflow fields (a mandate's status,
an activity's state) are read-only here; their services write the event rows.
"""

from django.contrib import admin

from deputies.models import (
    Constituency,
    ContactLog,
    ContactPair,
    Delegation,
    Deputy,
    DutyActivity,
    DutyParticipation,
    ScoreRule,
    ThemeYear,
)


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "body", "term", "region", "seats"]
    list_select_related = ["body", "term__body", "region"]
    raw_id_fields = ["body", "term", "region"]
    search_fields = ["name"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "term", "region"]
    list_select_related = ["body", "term__body", "region"]
    raw_id_fields = ["body", "term", "region"]


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "term", "sector", "party", "status", "is_standing_committee_member"]
    list_filter = ["status", "sector", "party", "is_standing_committee_member", "is_district_leader"]
    list_select_related = ["body", "term__body"]
    search_fields = ["name"]
    raw_id_fields = ["body", "term", "constituency", "delegation", "user", "linked_mandate"]
    exclude = ["id_number", "phone"]
    readonly_fields = ["status", "status_changed_on", "status_reason"]


class DutyParticipationInline(admin.TabularInline):
    model = DutyParticipation
    extra = 0
    raw_id_fields = ["deputy"]


@admin.register(DutyActivity)
class DutyActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "body", "source", "state"]
    list_filter = ["kind", "source", "state"]
    list_select_related = ["body"]
    search_fields = ["title"]
    date_hierarchy = "date"
    raw_id_fields = ["body", "theme_year", "session", "reported_by", "verified_by"]
    readonly_fields = ["state", "source", "source_content_type", "source_object_id", "verified_at"]
    inlines = [DutyParticipationInline]


@admin.register(ScoreRule)
class ScoreRuleAdmin(admin.ModelAdmin):
    list_display = ["body", "kind", "points", "yearly_cap"]
    list_filter = ["kind"]
    list_select_related = ["body"]


@admin.register(ThemeYear)
class ThemeYearAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "body"]
    list_select_related = ["body"]


class ContactLogInline(admin.TabularInline):
    model = ContactLog
    extra = 0
    raw_id_fields = ["logged_by"]


@admin.register(ContactPair)
class ContactPairAdmin(admin.ModelAdmin):
    list_display = ["member", "deputy", "year", "body"]
    list_select_related = ["member", "deputy", "body"]
    raw_id_fields = ["body", "member", "deputy"]
    inlines = [ContactLogInline]
