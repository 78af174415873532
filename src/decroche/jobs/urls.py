from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:job_id>/", views.job_detail, name="job-detail"),
    path("<int:job_id>/etat.json", views.job_state_json, name="job-state"),
    path("<int:job_id>/fichier/", views.job_download, name="job-download"),
]
