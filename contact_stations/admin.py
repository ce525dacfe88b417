"""Data repair by superusers (the admin site admits nobody else; see congress/admin.py).

Citizens' phones, SMS code digests and rating-link digests are not shown. Workflow states are
read-only here: their services write the event rows.
"""

from django.contrib import admin

from contact_stations.models import (
    DutyShift,
    Opinion,
    OpinionAnswer,
    ReturnVisit,
    RosterRule,
    ShiftDuty,
    Station,
    StationActivity,
    StationDeputy,
)


class StationDeputyInline(admin.TabularInline):
    model = StationDeputy
    raw_id_fields = ["deputy"]
    extra = 0


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "body", "status", "keeper"]
    list_filter = ["kind", "status"]
    list_select_related = ["region", "body", "keeper"]
    raw_id_fields = ["body", "region", "parent", "keeper"]
    search_fields = ["name", "address"]
    readonly_fields = ["public_code"]
    inlines = [StationDeputyInline]


@admin.register(RosterRule)
class RosterRuleAdmin(admin.ModelAdmin):
    list_display = ["station", "kind", "day_of_month", "start_time", "end_time", "is_active"]
    list_select_related = ["station"]
    raw_id_fields = ["station", "deputies"]


class ShiftDutyInline(admin.TabularInline):
    model = ShiftDuty
    raw_id_fields = ["deputy", "checked_in_by"]
    extra = 0


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["station", "date", "kind", "state", "visitor_count"]
    list_filter = ["state", "kind"]
    list_select_related = ["station"]
    raw_id_fields = ["station", "roster_rule", "visiting_leader"]
    readonly_fields = ["state"]
    date_hierarchy = "date"
    inlines = [ShiftDutyInline]


class OpinionAnswerInline(admin.TabularInline):
    model = OpinionAnswer
    raw_id_fields = ["by", "organ_unit", "organ_region"]
    extra = 0


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["receipt_code", "source", "category", "state", "received_on", "answer_due", "station"]
    list_filter = ["state", "source", "category"]
    list_select_related = ["station"]
    search_fields = ["receipt_code"]
    raw_id_fields = [
        "body", "region", "station", "deputy", "shift", "recorded_by", "passed_to_unit", "answered_by_unit",
        "answered_by_region", "follow_up_deputy", "duplicate_of",
    ]
    exclude = ["citizen_phone", "follow_up_content_type", "follow_up_object_id"]
    readonly_fields = ["state", "receipt_code", "closure_round", "anonymised_at"]
    inlines = [OpinionAnswerInline]


@admin.register(ReturnVisit)
class ReturnVisitAdmin(admin.ModelAdmin):
    list_display = ["opinion", "round", "channel", "rating", "rated_at"]
    list_filter = ["rating", "channel"]
    raw_id_fields = ["opinion", "recorded_by"]
    readonly_fields = ["rating", "rated_at", "reason", "link_sent_at"]


@admin.register(StationActivity)
class StationActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "station", "kind", "date"]
    list_filter = ["kind"]
    list_select_related = ["station"]
    raw_id_fields = ["station", "participants", "created_by"]
