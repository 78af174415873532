from django.contrib import admin
from django.urls import include, path

from decroche.accounts.views import home
from decroche.planning.urls import indicator_urlpatterns as planning_indicator_pages
from decroche.training.urls import public_urlpatterns as training_public_pages

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comptes/", include("decroche.accounts.urls")),
    path("contacts/", include("decroche.contacts.urls")),
    path("contrat/", include("decroche.contract.urls")),
    path("indicateurs/", include("decroche.indicators.urls")),
    path("indicateurs/", include(planning_indicator_pages)),
    path("organisation/", include("decroche.organisation.urls")),
    path("planning/", include("decroche.planning.urls")),
    path("qualite/", include("decroche.quality.urls")),
    path("modeles/", include("decroche.replies.urls")),
    path("formation/", include("decroche.training.urls")),
    path("", include(training_public_pages)),  # /verifier/<code>/, no login
    path("incidents/", include("decroche.wellbeing.urls")),
    path("entrainement/", include("decroche.practice.urls")),
    path("taches/", include("decroche.jobs.urls")),
    path("", home, name="home"),
    path("", include("decroche.core.urls")),
]
