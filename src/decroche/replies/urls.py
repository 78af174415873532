from django.urls import path

from . import views

urlpatterns = [
    path("", views.library, name="replies-library"),
    path("nouveau/", views.template_new, name="replies-template-new"),
    path("<int:pk>/", views.template_detail, name="replies-template"),
    path("<int:pk>/nouvelle-version/", views.version_new, name="replies-version-new"),
    path("versions/<int:pk>/approuver/", views.version_approve, name="replies-version-approve"),
]
