from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only history: imports are run from the web page or the command, never edited."""

    list_display = [
        "started_at",
        "kind",
        "file_name",
        "status",
        "rows",
        "accepted",
        "rejected",
        "duplicates",
        "user",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["file_name"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
