"""The advisor's own results page (issue 9, point 10). Thin view (STYLE habit 3): the
advisor is the signed-in user's record, never a parameter (SPEC §9)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from decroche.core.calendar import paris_today

from . import advisor_results


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    """Day, week or month figures of the signed-in advisor, their team's and the targets.

    Only ``view`` and ``day`` are read from the query string; any advisor, team or id
    parameter is ignored. A user with no advisor record gets a 403 page saying why.
    """
    advisor = advisor_results.advisor_of(request.user)
    if advisor is None:
        context = {"title": _("My results")}
        return render(request, "indicators/advisor_results_refused.html", context, status=403)
    period = advisor_results.parse_period(
        request.GET.get("view"), request.GET.get("day"), today=paris_today()
    )
    context = {
        "title": _("My results"),
        "advisor": advisor,
        "period": period,
        "views": advisor_results.VIEWS,
        **advisor_results.advisor_results(advisor, period),
    }
    return render(request, "indicators/advisor_results.html", context)
