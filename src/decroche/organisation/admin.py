"""Django admin for reference data (issue 2): sites, teams, advisors, channels, reasons,
opening hours and closure calendars. Teams and advisors are restricted to the user's
scope (organisation.selectors), so a site manager edits only their own site."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Advisor,
    Channel,
    ClosureCalendar,
    ContactReason,
    ExceptionalClosure,
    LeaverDeactivation,
    OpeningHours,
    PortalUserExport,
    RightsSuspension,
    Site,
    Team,
)
from .selectors import advisors_visible_to, sites_visible_to, teams_visible_to


class ScopedAdmin(admin.ModelAdmin):
    """Lists and foreign-key choices limited to what the user may see."""

    def scoped_queryset(self, request):  # pragma: no cover - overridden
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scoped_queryset(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "site":
            kwargs["queryset"] = sites_visible_to(request.user)
        elif db_field.name == "team":
            kwargs["queryset"] = teams_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city"]
    search_fields = ["name", "code", "city"]
    filter_horizontal = ["managers"]

    def get_queryset(self, request):
        return sites_visible_to(request.user)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "code", "site", "leader"]
    list_filter = ["site"]
    search_fields = ["name", "code", "leader__last_name"]

    def scoped_queryset(self, request):
        return teams_visible_to(request.user).select_related("leader")


@admin.register(Advisor)
class AdvisorAdmin(ScopedAdmin):
    list_display = [
        "last_name",
        "first_name",
        "login",
        "site",
        "team",
        "status",
        "joined_on",
        "left_on",
    ]
    list_filter = ["site", "team", "status", "handles_phone", "handles_forms"]
    search_fields = ["last_name", "first_name", "login", "email"]
    date_hierarchy = "joined_on"
    fieldsets = [
        (None, {"fields": ["login", "first_name", "last_name", "email", "user"]}),
        (_("Assignment"), {"fields": ["site", "team", "handles_phone", "handles_forms"]}),
        (_("Presence"), {"fields": ["status", "joined_on", "left_on", "absent_from", "absent_to"]}),
    ]

    def scoped_queryset(self, request):
        return advisors_visible_to(request.user)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(ContactReason)
class ContactReasonAdmin(admin.ModelAdmin):
    list_display = ["position", "label", "code", "family", "active_from", "active_to"]
    list_display_links = ["label"]
    list_filter = ["family", "active_to"]
    search_fields = ["label", "code"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["channel", "weekday", "opens_at", "closes_at"]
    list_filter = ["channel", "weekday"]


class ExceptionalClosureInline(admin.TabularInline):
    model = ExceptionalClosure
    extra = 0


@admin.register(ClosureCalendar)
class ClosureCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [ExceptionalClosureInline]


@admin.register(ExceptionalClosure)
class ExceptionalClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "calendar", "starts_at", "ends_at"]
    list_filter = ["calendar"]
    search_fields = ["reason"]
    date_hierarchy = "starts_at"


class RecordOnlyAdmin(admin.ModelAdmin):
    """Records of the leavers' automation and the portal exports (issue 12.5): written by
    `organisation.review` (audited), only read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LeaverDeactivation)
class LeaverDeactivationAdmin(RecordOnlyAdmin):
    list_display = ["advisor", "left_on", "deadline", "closed_on", "working_days_late", "closed_by"]
    date_hierarchy = "closed_on"


@admin.register(RightsSuspension)
class RightsSuspensionAdmin(RecordOnlyAdmin):
    list_display = ["advisor", "absent_from", "suspended_on", "restored_at", "restored_by"]


@admin.register(PortalUserExport)
class PortalUserExportAdmin(RecordOnlyAdmin):
    list_display = ["created_at", "file_format", "since_last", "added", "removed", "created_by"]
    exclude = ["user_ids"]
