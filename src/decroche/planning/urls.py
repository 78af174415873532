from django.urls import path

from . import views

urlpatterns = [
    path("horaires/", views.schedules, name="planning-schedules"),
    path("horaires/<int:run_id>/xlsx/", views.schedule_export, name="planning-schedule-export"),
]
