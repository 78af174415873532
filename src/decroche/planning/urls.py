from django.urls import path

from . import views

urlpatterns = [
    path("previsions/", views.forecast, name="planning-forecast"),
    path("previsions/evenements/", views.forecast_event_add, name="planning-event-add"),
    path(
        "previsions/evenements/<int:event_id>/supprimer/",
        views.forecast_event_remove,
        name="planning-event-delete",
    ),
    path("previsions/client/", views.client_forecast_save, name="planning-client-forecast-save"),
    path(
        "previsions/client/<int:row_id>/supprimer/",
        views.client_forecast_remove,
        name="planning-client-forecast-delete",
    ),
    path("proposition/", views.order_proposal, name="planning-order-proposal"),
    path("proposition/xlsx/", views.order_proposal_export, name="planning-order-proposal-export"),
    path("horaires/", views.schedules, name="planning-schedules"),
    path("horaires/<int:run_id>/xlsx/", views.schedule_export, name="planning-schedule-export"),
]

# The resources dashboard is a planning page kept at its indicators address
# (/indicateurs/ressources/): `decroche/urls.py` mounts these under /indicateurs/.
indicator_urlpatterns = [
    path("ressources/", views.resources_dashboard, name="resources-dashboard"),
]
