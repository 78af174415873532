from django.urls import path

from . import views

urlpatterns = [
    path("", views.evaluation_list, name="quality-evaluation-list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="quality-evaluation"),
    path("evaluer/<str:kind>/<int:pk>/", views.evaluation_new, name="quality-evaluate"),
    path("conseillers/<int:pk>/", views.advisor_quality, name="quality-advisor"),
    path("calibrages/", views.calibration_list, name="quality-calibration-list"),
    path("calibrages/<int:pk>/", views.calibration_detail, name="quality-calibration"),
    path("export.xlsx", views.evaluation_export, name="quality-evaluation-export"),
    path(
        "calibrages/<int:pk>/export.xlsx",
        views.calibration_export,
        name="quality-calibration-export",
    ),
]
