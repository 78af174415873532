"""Reads behind the indicator dashboards (SPEC §3: daily, weekly and monthly views,
overall, per site, per reason, per advisor), restricted to the user's scope (SPEC §9).

Indicators come from `selectors.indicator_report`; the only direct query is the intraday
profile (arrivals and answered calls per half-hour), which no formula expresses.
Rows of a scoped user are the grain keys inside their scope; when several keys make one
figure (a site manager's two sites), numerators and denominators are added, never values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from decroche.contacts.models import Call
from decroche.core.calendar import paris_today
from decroche.organisation.models import Advisor, ContactReason, Site, Team
from decroche.organisation.selectors import Scope, scope_filter

from .catalogue import parse_target
from .choices import VersionStatus
from .engine import Result, Status
from .models import IndicatorVersion, MeasureDefinition
from .selectors import (
    NotInForce,
    as_definition,
    compute,
    indicator_report,
    not_in_force,
    versions_during,
)

VIEWS = {"day": _("Daily"), "week": _("Weekly"), "month": _("Monthly")}
LEVELS = {
    "overall": _("Overall"),
    "site": _("By site"),
    "team": _("By team"),
    "advisor": _("By advisor"),
    "reason": _("By reason"),
}
# The columns of a breakdown table: the contract's headline indicators (SPEC §3).
KEY_INDICATORS = (
    "answer_rate",
    "average_wait",
    "calls_received",
    "calls_handled",
    "average_handling_time",
    "availability_rate",
    "forms_response_rate",
)
TREND_INDICATORS = ("answer_rate", "average_wait")
OPENING_HALF_HOURS = range(17, 35)  # 08:30 to 17:00 starts, the line closes at 17:30


@dataclass(frozen=True)
class Selection:
    """What the dashboard shows: a view (day/week/month) around a day, a level, a parent."""

    view: str
    day: dt.date
    level: str
    parent_kind: str = ""  # "site" or "team"
    parent_code: str = ""

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        if self.view == "day":
            return self.day, self.day
        if self.view == "week":
            monday = self.day - dt.timedelta(days=self.day.weekday())
            return monday, monday + dt.timedelta(days=6)
        first = self.day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)

    @property
    def trend(self) -> tuple[dt.date, dt.date, str]:
        """The trend charts' range and bucket: 4 weeks of days, 12 weeks, the month's days."""
        start, end = self.span
        if self.view == "day":
            return self.day - dt.timedelta(days=27), self.day, "day"
        if self.view == "week":
            return start - dt.timedelta(weeks=11), end, "week"
        return start, end, "day"


def levels_for(scope: Scope) -> list[str]:
    """Levels a user may open: the overall figure needs the whole service in scope."""
    if scope.everything:
        return list(LEVELS)
    if scope.site_ids:
        return ["site", "team", "advisor", "reason"]
    if scope.team_ids:
        return ["team", "advisor", "reason"]
    return []


@dataclass(frozen=True)
class Allowed:
    """Grain keys a user may see: None means every key."""

    sites: frozenset[str] | None
    teams: frozenset[str] | None
    advisors: frozenset[str] | None


def allowed_keys(scope: Scope) -> Allowed:
    if scope.everything:
        return Allowed(None, None, None)
    return Allowed(
        frozenset(Site.objects.filter(id__in=scope.site_ids).values_list("code", flat=True)),
        frozenset(Team.objects.filter(id__in=scope.team_ids).values_list("code", flat=True)),
        frozenset(Advisor.objects.filter(id__in=scope.advisor_ids).values_list("login", flat=True)),
    )


def _container_grain(selection: Selection, scope: Scope) -> tuple[str, ...]:
    """The grain that bounds the figures: the parent's, else the user's scope, else none."""
    if selection.parent_kind:
        return (selection.parent_kind,)
    if scope.everything:
        return ()
    return ("site",) if scope.site_ids else ("team",)


def _grain(selection: Selection, scope: Scope) -> tuple[str, ...]:
    if selection.level == "overall":
        return ()
    if selection.level == "reason":
        return (*_container_grain(selection, scope), "reason")
    return (selection.level,)


def _keeps(result: Result, selection: Selection, allowed: Allowed, parents: dict) -> bool:
    keys = dict(result.keys)
    for grain, permitted in (
        ("site", allowed.sites),
        ("team", allowed.teams),
        ("advisor", allowed.advisors),
    ):
        if grain in keys and permitted is not None and keys[grain] not in permitted:
            return False
    if selection.parent_kind and selection.parent_kind not in keys:
        # Team or advisor rows under a parent: keep those belonging to it.
        owner = parents.get(keys.get("team") or keys.get("advisor"))
        return owner is not None and selection.parent_code in owner
    if selection.parent_kind:
        return keys[selection.parent_kind] == selection.parent_code
    return True


def _parents(selection: Selection) -> dict[str, set[str]]:
    """For team and advisor rows under a parent: the site and team codes each belongs to."""
    if not selection.parent_kind or selection.level not in ("team", "advisor"):
        return {}
    if selection.level == "team":
        return {code: {site} for code, site in Team.objects.values_list("code", "site__code")}
    return {
        login: {site, team}
        for login, site, team in Advisor.objects.values_list("login", "site__code", "team__code")
    }


def combined(results: Iterable[Result], drop: Sequence[str]) -> list[Result]:
    """Results with the grains in `drop` added up: numerators and denominators are summed,
    then the value recomputed (a ratio of sums, never an average of ratios)."""
    totals: dict[tuple, list] = {}
    for result in results:
        keys = tuple((g, k) for g, k in result.keys if g not in drop)
        slot = (result.indicator, result.period_start, keys)
        entry = totals.setdefault(slot, [result, None, None])
        for index, part in ((1, result.numerator), (2, result.denominator)):
            if part is not None:
                entry[index] = (entry[index] or 0) + part
    out = []
    for (indicator, start, keys), (first, numerator, denominator) in totals.items():
        if first.denominator is None and first.numerator is not None:
            value = numerator
        elif numerator is None or not denominator:
            value = None
        else:
            value = numerator / denominator
        target = first.target
        status = _status(value, target)
        out.append(
            Result(
                indicator,
                start,
                first.period_end,
                keys,
                numerator,
                denominator,
                value,
                target,
                status,
            )
        )
    return out


def _status(value: float | None, target: str) -> str:
    parsed = parse_target(target)
    if value is None:
        return Status.NO_DATA
    if parsed is None:
        return Status.NO_TARGET
    return Status.MET if parsed.is_met(value) else Status.MISSED


def scoped_report(
    selection: Selection,
    scope: Scope,
    *,
    start: dt.date,
    end: dt.date,
    period: str,
    level: str | None = None,
    codes: Sequence[str] | None = None,
) -> tuple[tuple[str, ...], list[Result]]:
    """Indicator results of the selection inside the user's scope, with the grain used."""
    wanted = Selection(
        selection.view,
        selection.day,
        level or selection.level,
        selection.parent_kind,
        selection.parent_code,
    )
    grain = _grain(wanted, scope)
    results = indicator_report(start=start, end=end, period=period, grain=grain, codes=codes)
    allowed = allowed_keys(scope)
    parents = _parents(wanted)
    kept = [r for r in results if _keeps(r, wanted, allowed, parents)]
    return grain, kept


def trend(selection: Selection, scope: Scope) -> list[Result]:
    """Answer rate and average wait over time for the selection's container."""
    start, end, period = selection.trend
    grain = _container_grain(selection, scope)
    level = grain[0] if grain else "overall"
    _grain_used, results = scoped_report(
        selection,
        scope,
        start=start,
        end=end,
        period=period,
        level=level,
        codes=TREND_INDICATORS,
    )
    return sorted(combined(results, drop=grain), key=lambda r: r.period_start)


def volume_by_reason(selection: Selection, scope: Scope) -> list[tuple[str, float]]:
    """Calls received per reason over the span, largest first."""
    start, end = selection.span
    grain, results = scoped_report(
        selection,
        scope,
        start=start,
        end=end,
        period="range",
        level="reason",
        codes=("calls_received",),
    )
    totals = combined(results, drop=[g for g in grain if g != "reason"])
    rows = [(dict(r.keys).get("reason") or "", r.value or 0) for r in totals if r.value]
    return sorted(rows, key=lambda row: -row[1])


def intraday_profile(selection: Selection, scope: Scope) -> list[tuple[int, int, int]]:
    """(half-hour, arrivals, answered) over the span, for the selection's container."""
    start, end = selection.span
    calls = Call.objects.filter(scope_filter(scope), day__gte=start, day__lte=end)
    if selection.parent_kind == "site":
        calls = calls.filter(site__code=selection.parent_code)
    elif selection.parent_kind == "team":
        calls = calls.filter(advisor__team__code=selection.parent_code)
    rows = (
        calls.values("half_hour")
        .annotate(arrivals=Count("id"), answered=Count("id", filter=Q(outcome="answered")))
        .order_by("half_hour")
    )
    by_slot = {row["half_hour"]: (row["arrivals"], row["answered"]) for row in rows}
    slots = sorted(set(OPENING_HALF_HOURS) | {s for s in by_slot if s is not None})
    return [(slot, *by_slot.get(slot, (0, 0))) for slot in slots]


def half_hour_label(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


def key_labels(pairs: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str | None], str]:
    """Readable names of (grain, key) pairs: site, team, reason names, advisor full names."""
    codes: dict[str, set] = defaultdict(set)
    for grain, key in pairs:
        codes[grain].add(key)
    labels: dict[tuple[str, str | None], str] = {}
    lookups = {
        "site": (Site, "code", "name"),
        "team": (Team, "code", "name"),
        "reason": (ContactReason, "code", "label"),
    }
    for grain, (model, key_field, label_field) in lookups.items():
        if codes.get(grain):
            found = model.objects.filter(**{f"{key_field}__in": codes[grain]})
            labels.update({(grain, k): v for k, v in found.values_list(key_field, label_field)})
    if codes.get("advisor"):
        for login, first, last in Advisor.objects.filter(login__in=codes["advisor"]).values_list(
            "login", "first_name", "last_name"
        ):
            labels[("advisor", login)] = f"{first} {last} ({login})"
    return labels


def labels_of_indicators(day: dt.date, end: dt.date | None = None) -> dict[str, object]:
    """The versions in force on `day` (or during day..end), by code (label, unit, target of
    each indicator); of several versions in the span, the latest."""
    return {version.code: version for version in versions_during(day, end or day)}


def not_measured(selection: Selection, codes: Sequence[str] | None) -> list[NotInForce]:
    """Days of the figures shown (the span's, the trend's) on which an indicator has no
    version in force: the dashboard says so rather than leaving a figure out silently."""
    start, end = selection.span
    trend_start, trend_end, _period = selection.trend
    notices = not_in_force(start=start, end=end, codes=codes)
    for notice in not_in_force(start=trend_start, end=trend_end, codes=TREND_INDICATORS):
        if not any(
            n.indicator == notice.indicator and n.start <= notice.start and notice.end <= n.end
            for n in notices
        ):
            notices.append(notice)
    return sorted(notices, key=lambda n: (n.indicator, n.start))


@dataclass
class Dashboard:
    """Everything one dashboard page (or its export) shows for a selection."""

    start: dt.date
    end: dt.date
    grain: tuple[str, ...]
    results: list[Result]
    versions: dict[str, object]
    notices: list[NotInForce]
    trend: list[Result] = field(default_factory=list)
    reasons: list[tuple[str, float]] = field(default_factory=list)
    profile: list[tuple[int, int, int]] = field(default_factory=list)
    labels: dict[tuple[str, str | None], str] = field(default_factory=dict)


def dashboard(selection: Selection, scope: Scope, *, charts: bool = True) -> Dashboard:
    """The figures of the selection inside the user's scope (SPEC §3): the headline
    indicators at the chosen level (every indicator overall), the versions they are read
    with, the days not measured; with `charts`, the trend, the volume by reason and the
    intraday profile, and the names of the keys shown."""
    start, end = selection.span
    codes = None if selection.level == "overall" else KEY_INDICATORS
    grain, results = scoped_report(
        selection, scope, start=start, end=end, period="range", codes=codes
    )
    board = Dashboard(
        start=start,
        end=end,
        grain=grain,
        results=results,
        versions=labels_of_indicators(start, end),
        notices=not_measured(selection, codes),
    )
    if charts:
        board.trend = trend(selection, scope)
        board.reasons = volume_by_reason(selection, scope)
        board.profile = intraday_profile(selection, scope)
        board.labels = key_labels(
            [key for result in results for key in result.keys]
            + [("reason", code) for code, _v in board.reasons]
        )
    return board


def draft_preview(version, *, start: dt.date, end: dt.date, period: str) -> list[Result]:
    """One version (a draft included) computed on the recorded data, whatever its status,
    with today's measure library for the names it uses (SPEC §3: definitions co-built)."""
    measures = dict(MeasureDefinition.objects.values_list("name", "expression"))
    return compute([as_definition(version)], measures, start=start, end=end, period=period)


def indicator_catalogue() -> list[dict]:
    """Each indicator once: its version in force today, and its newest draft if any."""
    today = paris_today()
    entries: dict[str, dict] = {}
    for version in IndicatorVersion.objects.select_related("created_by").order_by(
        "code", "-version"
    ):
        entry = entries.setdefault(
            version.code, {"code": version.code, "latest": version, "current": None, "draft": None}
        )
        if version.status == VersionStatus.DRAFT and entry["draft"] is None:
            entry["draft"] = version
        elif (
            version.status == VersionStatus.PUBLISHED
            and entry["current"] is None
            and version.valid_from <= today
            and (version.valid_to is None or version.valid_to >= today)
        ):
            entry["current"] = version
    return sorted(entries.values(), key=lambda e: (e["latest"].category, e["code"]))
