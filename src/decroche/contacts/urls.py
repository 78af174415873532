from django.urls import path

from . import views

urlpatterns = [
    path("imports/nouveau/", views.import_upload, name="import-upload"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/en-cours.json", views.import_progress_mine, name="import-progress-mine"),
    path("imports/<int:batch_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:batch_id>/progression.json", views.import_progress, name="import-progress"),
    path("imports/<int:batch_id>/rejets.csv", views.import_rejects, name="import-rejects"),
    path("appels/", views.call_list, name="call-list"),
]
