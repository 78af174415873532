from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="indicator-dashboard"),
    path("definitions/", views.definition_list, name="indicator-definitions"),
    path("definitions/nouveau/", views.draft_create, name="indicator-draft-create"),
    path("definitions/<slug:code>/", views.definition_history, name="indicator-history"),
    path("versions/<int:pk>/", views.version_detail, name="indicator-version"),
    path("versions/<int:pk>/publier/", views.version_publish, name="indicator-publish"),
]

# The advisor's own results (issue 9, point 10): no id in the path, on purpose.
from . import advisor_views  # noqa: E402

urlpatterns += [path("mes-resultats/", advisor_views.my_results, name="advisor-results")]
