from django.contrib import admin

from .models import Certificate, Programme, Session, SessionHalfDay


class HalfDayInline(admin.TabularInline):
    model = SessionHalfDay
    extra = 0
    fields = ("part", "day", "half", "hours", "trainer_signed_by", "trainer_signed_at")
    readonly_fields = ("trainer_signed_by", "trainer_signed_at")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "duration_hours", "format", "max_group_size", "is_initial_path")
    list_filter = ("is_initial_path", "format")
    search_fields = ("title", "code")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("reference", "programme", "status", "capacity")
    list_filter = ("status", "programme")
    inlines = [HalfDayInline]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    # Issued, revoked and re-issued through the app's pages only (audited).
    list_display = ("code", "enrolment", "hours", "issued_at", "revoked_at")
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
