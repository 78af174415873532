from django.urls import path

from . import views

urlpatterns = [
    path("signaler/", views.report_new, name="incident-report"),
    path("mon-dossier/", views.own_file, name="incident-mine"),
    path("equipe/", views.team_list, name="incident-team"),
    path("boite-a-outils/", views.manager_toolbox, name="incident-toolbox"),
    path("sante-au-travail/", views.health_view, name="incident-health"),
    path("statistiques/", views.statistics, name="incident-statistics"),
    path("statistiques/export.xlsx", views.statistics_export, name="incident-statistics-export"),
    path("<int:pk>/", views.report_detail, name="incident-detail"),
    path("suivi/<int:pk>/fait/", views.follow_up_done, name="incident-follow-up-done"),
    path("entretiens/<int:pk>/", views.check_in_done, name="incident-check-in"),
    path("partage/<int:pk>/", views.statement_sharing, name="incident-share"),
    path("<int:pk>/debriefing/", views.debrief_new, name="incident-debrief"),
    path("victimes/<int:pk>/orientation/", views.referral_new, name="incident-referral"),
    path("equipes/<int:pk>/rituel/", views.ritual_set, name="incident-ritual-set"),
    path("rituels/<int:pk>/tenu/", views.ritual_session_new, name="incident-ritual-held"),
]
