from django.urls import path

from . import views

urlpatterns = [
    path("effectifs/import/", views.roster_upload, name="roster-upload"),
    path("effectifs/import/confirmer/", views.roster_confirm, name="roster-confirm"),
    *views.SitePages.urlpatterns("sites"),
    *views.TeamPages.urlpatterns("equipes"),
    *views.AdvisorPages.urlpatterns("conseillers"),
    *views.ContactReasonPages.urlpatterns("motifs"),
    *views.ExceptionalClosurePages.urlpatterns("fermetures"),
    *views.OpeningHoursPages.urlpatterns("horaires"),
]
