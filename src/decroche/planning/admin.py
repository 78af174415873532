from django.contrib import admin

from .models import ClientForecast, ForecastEvent


@admin.register(ForecastEvent)
class ForecastEventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "channel", "start", "end", "uplift"]
    list_filter = ["kind", "channel"]
    date_hierarchy = "start"


@admin.register(ClientForecast)
class ClientForecastAdmin(admin.ModelAdmin):
    list_display = ["month", "channel", "volume", "received_on"]
    list_filter = ["channel"]
