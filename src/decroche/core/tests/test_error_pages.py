"""French DSFR error pages with DEBUG off (issue 18 point 9): 403, 404 and 500 extend the
base template; the 500 page renders with no context and reads nothing from the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _refused(request):
    raise PermissionDenied


def _missing(request):
    raise Http404


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("refuse/", _refused),
    path("absent/", _missing),
    path("casse/", _broken),
    path("", include("decroche.urls")),
]


def _page(response) -> str:
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "fr-header" in html and "fr-footer" in html  # the DSFR shell of base.html
    assert "Page not found" not in html and "Server Error" not in html  # Django's defaults
    return html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_forbidden_page_is_french(client, users):
    client.force_login(users["advisor"])
    response = client.get("/refuse/")
    assert response.status_code == 403
    assert "Accès refusé" in _page(response)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/absent/", "/cette-page-n-existe-pas/"])
def test_missing_page_is_french(client, users, url):
    client.force_login(users["advisor"])
    response = client.get(url)
    assert response.status_code == 404
    html = _page(response)
    assert "Page introuvable" in html
    assert "fr-nav" in html  # a signed-in person keeps the menu on a 404


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_server_error_page_is_french(client, users):
    client.raise_request_exception = False
    client.force_login(users["advisor"])
    response = client.get("/casse/")
    assert response.status_code == 500
    html = _page(response)
    assert "Erreur du serveur" in html or "Erreur serveur" in html
    assert "fr-nav" not in html  # no request context: no menu, which would read the DB


def test_server_error_template_reads_nothing_from_the_database(django_assert_num_queries):
    from django.template.loader import get_template

    with django_assert_num_queries(0):
        html = get_template("500.html").render()
    assert "Erreur" in html and "fr-footer" in html
