from django.urls import path

from . import views

urlpatterns = [
    path("effectifs/import/", views.roster_upload, name="roster-upload"),
    path("effectifs/import/confirmer/", views.roster_confirm, name="roster-confirm"),
]
