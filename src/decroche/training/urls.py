from django.urls import path

from . import views_public

urlpatterns = [
    path(
        "programmes/<slug:code>/", views_public.programme_public, name="training-programme-public"
    ),
]

# Mounted at the site root (src/decroche/urls.py): the QR code of a certificate points here.
public_urlpatterns = [
    path("verifier/<str:code>/", views_public.certificate_verify, name="training-verify"),
]
