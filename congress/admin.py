"""Django admin: data repair by superusers only; no workflow depends on it (DESIGN §1).

The admin site itself admits superusers only, whatever `is_staff` says. The audit trail (event rows
and django-auditlog's log entries) is shown read-only: nobody can add, change or delete a row of it
here (SECURITY S21). Changes made here are audited like any other, with the superuser as actor.
"""

from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from congress import services
from congress.models import (
    ApiToken,
    Body,
    BodyRules,
    Committee,
    Delivery,
    Event,
    Notification,
    Region,
    RoleGrant,
    Session,
    Term,
    Unit,
    User,
    WorkingDayOverride,
)


def _superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


# Replaces AdminSite.has_permission on the default site: staff flags play no part in this project.
admin.site.has_permission = _superuser_only
admin.site.site_header = _("Tongxin data repair")
admin.site.site_title = _("Tongxin data repair")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by superusers; added, changed and deleted by nobody."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "path"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]

    def save_model(self, request, obj, form, change):
        # The service keeps the materialised paths of the whole subtree in step.
        services.region_save(actor=request.user, region=obj)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["region", "parent"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["body", "number", "starts_on", "ends_on", "is_current"]
    list_filter = ["is_current"]
    list_select_related = ["body"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["term", "kind", "number", "starts_on", "ends_on"]
    list_filter = ["kind"]
    list_select_related = ["term__body"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["body"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["region", "parent"]
    list_select_related = ["region"]


@admin.register(BodyRules)
class BodyRulesAdmin(admin.ModelAdmin):
    list_display = ["body"]
    list_select_related = ["body"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    exclude = ["created_by"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ["body", "committee", "unit", "region", "granted_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_superuser", "is_api_account"]
    list_filter = ["is_active", "is_superuser", "is_api_account"]
    search_fields = ["username", "full_name", "email"]
    # The phone is personal data (SECURITY S17): it is changed in the console, where it is masked
    # and unmasking is logged, never shown in clear here.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "email"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_superuser", "is_api_account", "must_change_password"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "password_changed_at"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    inlines = [RoleGrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued in the console, where the key is shown once; here they can only be revoked."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "is_urgent", "created_at", "read_at"]
    list_filter = ["is_urgent", "kind"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """A failed delivery set back to pending with its attempts at 0 is sent again by the next sweep."""

    list_display = ["recipient", "channel", "digest_day", "status", "attempts", "claimed_at", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "notifications"]
    readonly_fields = ["claimed_at", "sent_at"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "content_type", "object_id", "verb", "from_state", "to_state", "actor"]
    list_filter = ["verb", "content_type"]
    search_fields = ["object_id", "note"]
    list_select_related = ["content_type", "actor"]
    date_hierarchy = "created_at"


# auditlog's own admin lets a cascade delete through; the audit trail here allows no delete at all.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin, AuditlogLogEntryAdmin):
    pass
