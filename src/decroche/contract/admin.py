from django.contrib import admin

from .models import (
    ContractSettings,
    MonthlyInvoice,
    Order,
    OrderAmendment,
    OrderLine,
    OrderPeriod,
    ServiceInterruption,
    ServiceLevel,
    TargetChangeProposal,
)


@admin.register(ContractSettings)
class ContractSettingsAdmin(admin.ModelAdmin):
    list_display = ["activity_start", "grace_months", "interruption_limit_hours"]


@admin.register(OrderPeriod)
class OrderPeriodAdmin(admin.ModelAdmin):
    list_display = ["start", "end"]
    date_hierarchy = "start"


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


class OrderAmendmentInline(admin.TabularInline):
    model = OrderAmendment
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in OrderAmendment._meta.fields]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "period",
        "unit",
        "kind",
        "status",
        "issued_on",
        "validation_deadline",
        "revision",
    ]
    list_filter = ["unit", "kind", "status"]
    inlines = [OrderLineInline, OrderAmendmentInline]


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ["order", "day", "hour", "quantity"]
    list_filter = ["order__unit"]
    date_hierarchy = "day"


@admin.register(OrderAmendment)
class OrderAmendmentAdmin(admin.ModelAdmin):
    list_display = ["order", "revision", "amended_on", "previous_total", "new_total", "reason"]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label",
        "breach",
        "threshold",
        "rate",
        "invoice",
        "subject_to_grace",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["activity", "invoice", "source"]


@admin.register(MonthlyInvoice)
class MonthlyInvoiceAdmin(admin.ModelAdmin):
    list_display = ["month", "phone_amount", "forms_amount", "recorded_by", "recorded_at"]


@admin.register(TargetChangeProposal)
class TargetChangeProposalAdmin(admin.ModelAdmin):
    list_display = [
        "indicator_code",
        "new_target",
        "service_level_code",
        "new_threshold",
        "notified_on",
        "answer_deadline",
        "effective_from",
        "status",
    ]
    list_filter = ["status"]


@admin.register(ServiceInterruption)
class ServiceInterruptionAdmin(admin.ModelAdmin):
    list_display = ["cause", "site", "started_at", "ended_at"]
    list_filter = ["cause"]
