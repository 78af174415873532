"""The CSO's page of accounts to review (SPEC §9; issue 12.5): leavers whose account is
still open and their delay, suspended rights, dormant accounts, advisor accounts linked
to no advisor; actions as POST (close now, restore rights), each audited; and the
download of the support portal's user list. Thin views over `organisation.review`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from decroche.accounts.roles import ROLES_BY_CODE
from decroche.core.calendar import paris_today
from decroche.core.downloads import file_response

from ..review import portal, selectors, services

REVIEW = "organisation.review_accounts"
EXPORT = "organisation.export_portal_users"


@permission_required(REVIEW, raise_exception=True)
def accounts_review(request: HttpRequest) -> HttpResponse:
    today = paris_today()
    visible = set(selectors.reviewable_accounts(user=request.user).values_list("pk", flat=True))
    context = {
        "title": _("Accounts to review"),
        "today": today,
        "leavers": [
            p for p in selectors.leavers_pending(today=today) if p.advisor.user_id in visible
        ],
        "absences": [
            p for p in selectors.absences_pending(today=today) if p.advisor.user_id in visible
        ],
        "suspensions": _with_role_labels(
            s for s in selectors.suspensions_open() if s.user_id in visible
        ),
        "dormant": selectors.accounts_dormant(user=request.user, today=today),
        "dormant_days": selectors.DORMANT_DAYS,
        "without_advisor": selectors.accounts_without_advisor(user=request.user),
        "closures": selectors.leaver_closures_recent(),
        "can_export": request.user.has_perm(EXPORT),
        "last_export": portal.portal_export_last(),
    }
    return render(request, "organisation/accounts_review.html", context)


def _with_role_labels(suspensions) -> list:
    """Each suspension with the labels of the roles it took, as the roles table names them."""
    result = []
    for suspension in suspensions:
        suspension.role_labels = [
            str(ROLES_BY_CODE[group.name].label) if group.name in ROLES_BY_CODE else group.name
            for group in suspension.groups.all()
        ]
        result.append(suspension)
    return result


@require_POST
@permission_required(REVIEW, raise_exception=True)
def account_disable(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an account in the CSO's scope now (a leaver, a dormant account, an advisor
    account linked to no advisor)."""
    account = get_object_or_404(selectors.reviewable_accounts(user=request.user), pk=pk)
    try:
        services.account_review_disable(
            account=account,
            user=request.user,
            reason=request.POST.get("reason", ""),
            today=paris_today(),
        )
    except services.ReviewError:
        messages.error(request, gettext("This account cannot be closed from here."))
    else:
        messages.success(request, gettext("Account closed."))
    return redirect("accounts-review")


@require_POST
@permission_required(REVIEW, raise_exception=True)
def rights_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Give back the roles of a suspension (the person is back before the roster says so)."""
    visible = selectors.reviewable_accounts(user=request.user)
    suspension = get_object_or_404(selectors.suspensions_open().filter(user__in=visible), pk=pk)
    services.rights_restore(suspension=suspension, user=request.user)
    messages.success(request, gettext("Rights restored."))
    return redirect("accounts-review")


@require_POST
@permission_required(EXPORT, raise_exception=True)
def portal_users_download(request: HttpRequest) -> HttpResponse:
    """Download the support portal's user list; a POST since each export is recorded and
    changes what the next "since the last export" gives."""
    file_format = request.POST.get("format", "csv")
    if file_format not in portal.FORMATS:
        file_format = "csv"
    content, name, content_type, _record = portal.portal_users_export(
        user=request.user, since_last=request.POST.get("since_last") == "1", file_format=file_format
    )
    return file_response(content, name, content_type)
