from django.contrib import admin

from .models import ReplyTemplate, TemplateVersion


class VersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    fields = ("number", "status", "valid_from", "valid_to", "approved_by", "approved_at")
    readonly_fields = fields
    can_delete = False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "reason", "kind")
    list_filter = ("kind", "reason")
    inlines = [VersionInline]
