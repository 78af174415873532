from django.urls import path

from . import views

urlpatterns = [
    path("journal/", views.audit_log, name="audit-log"),
    # Under the accounts' prefix, which has no such page: the CSO's access history.
    path("comptes/historique/", views.access_history, name="access-history"),
    path(
        "comptes/historique/export.xlsx",
        views.access_history_export,
        name="access-history-export",
    ),
]
