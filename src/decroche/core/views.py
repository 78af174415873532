"""The home page of each role and the CSO's audit log (issue 2; SPEC §9)."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from decroche.accounts.roles import ROLES

from . import selectors
from .forms import AuditFilterForm
from .navigation import destinations_for


def home(request: HttpRequest) -> HttpResponse:
    """Cards linking to what the user's roles allow, and nothing else."""
    user_roles = {group.name for group in request.user.groups.all()}
    roles = [role for role in ROLES if role.code in user_roles]
    context = {"title": _("Home"), "roles": roles, "destinations": destinations_for(request.user)}
    return render(request, "core/home.html", context)


@permission_required("core.view_auditentry", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        action=filters.get("action", ""),
        username=filters.get("username", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"title": _("Audit log"), "form": form, "page_obj": page}
    return render(request, "core/audit_log.html", context)
