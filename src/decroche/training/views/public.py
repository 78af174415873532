"""The public pages, no login (issue 13 points 1 and 4): the verification page of a
certificate, which says valid or revoked and the facts printed on it, nothing else; and the
page of a programme, what a newcomer must know before enrolling."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import Certificate, Programme


@login_not_required
@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """200 with valid/revoked, the trainee's name, the programme, dates and hours; 404 for
    any code never issued (the page tells nothing about codes that do not exist)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__session__programme"), code=code.upper()
    )
    return render(
        request,
        "training/verify.html",
        {"title": _("Certificate verification"), "certificate": certificate},
    )


@login_not_required
@require_GET
def programme_public(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=code, is_public=True)
    return render(
        request,
        "training/programme_public.html",
        {"title": programme.title, "programme": programme},
    )
