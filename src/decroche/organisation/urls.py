from django.urls import path

from . import views

urlpatterns = [
    path("effectifs/import/", views.roster_upload, name="roster-upload"),
    path("effectifs/import/confirmer/", views.roster_confirm, name="roster-confirm"),
    # The CSO's accounts to review: leavers, long absences, the support portal (SPEC §9).
    path("comptes-a-revoir/", views.accounts_review, name="accounts-review"),
    path(
        "comptes-a-revoir/<int:pk>/fermer/", views.account_disable, name="accounts-review-disable"
    ),
    path(
        "comptes-a-revoir/suspensions/<int:pk>/retablir/",
        views.rights_restore,
        name="accounts-review-restore",
    ),
    path(
        "comptes-a-revoir/portail/",
        views.portal_users_download,
        name="accounts-review-portal-export",
    ),
    *views.SitePages.urlpatterns("sites"),
    *views.TeamPages.urlpatterns("equipes"),
    *views.AdvisorPages.urlpatterns("conseillers"),
    *views.ContactReasonPages.urlpatterns("motifs"),
    *views.ExceptionalClosurePages.urlpatterns("fermetures"),
    *views.OpeningHoursPages.urlpatterns("horaires"),
]
