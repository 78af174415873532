"""Shared pieces of the committee packs (SPEC §6): the pack and section shapes, and the
sections and volume forecasts several committees use (see `packs`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from decroche.contacts.models import Call, ContactForm
from decroche.core import formatting
from decroche.core.exports import HOURS_FORMAT, Cell, Section, cell_text, unit_cell
from decroche.indicators.display import status_badge
from decroche.indicators.selectors import indicator_report, versions_in_force

from . import committees
from .exports import objective_text
from .models import ServiceInterruption
from .selectors import conformity_by_day, orders_awaiting_validation, proposals_awaiting_answer


@dataclass
class Pack:
    kind: str
    held_on: dt.date
    title: str
    start: dt.date
    end: dt.date
    sections: list[Section]


# An indicator's status in a pack: its words (`status_badge`) and the tone of its cell.
TONES = {"met": "success", "missed": "error", "no_target": "info"}


def indicator_section(title: str, start: dt.date, end: dt.date, category: str) -> Section:
    codes = [v.code for v in versions_in_force(start) if v.category == category]
    results = indicator_report(start=start, end=end, period="range", codes=codes) if codes else []
    versions = {v.code: v for v in versions_in_force(start, codes)}
    section = Section(title, [_("Indicator"), _("Value"), _("Target"), _("Status")])
    for result in results:
        if result.keys:
            continue
        version = versions.get(result.indicator)
        unit = version.unit if version else "count"
        section.rows.append(
            [
                version.label if version else result.indicator,
                unit_cell(result.value, unit),
                objective_text(result.target, unit) if result.target else "—",
                Cell(
                    str(status_badge(result.status)["label"]),
                    "General",
                    tone=TONES.get(result.status, ""),
                ),
            ]
        )
    if not section.rows:
        section.note = _("No data for this period.")
    return section


def daily_counts(start: dt.date, end: dt.date) -> dict[str, dict[dt.date, int]]:
    def by_day(queryset, day_field: str) -> dict[dt.date, int]:
        return dict(
            queryset.filter(**{f"{day_field}__range": (start, end)})
            .values_list(day_field)
            .annotate(n=Count("pk"))
        )

    return {
        "calls_received": by_day(Call.objects.all(), "day"),
        "calls_answered": by_day(Call.objects.filter(outcome="answered"), "day"),
        "forms_received": by_day(ContactForm.objects.all(), "received_day"),
        "forms_answered": by_day(ContactForm.objects.all(), "answered_day"),
    }


def acts_section(start: dt.date, end: dt.date) -> Section:
    counts = daily_counts(start, end)
    section = Section(
        _("Acts received and handled"),
        [
            _("Day"),
            _("Calls received"),
            _("Calls answered"),
            _("Forms received"),
            _("Forms answered"),
        ],
    )
    day = start
    while day <= end:
        section.rows.append([day] + [counts[k].get(day, 0) for k in counts])
        day += dt.timedelta(days=1)
    return section


def hours_section(start: dt.date, end: dt.date) -> Section:
    section = Section(
        _("Productive hours"),
        [_("Day"), _("Hours ordered (firm)"), _("Productive hours"), _("Conformity")],
    )
    for row in conformity_by_day(start, end):
        section.rows.append(
            [
                row["day"],
                Cell(float(row["ordered_hours"]), HOURS_FORMAT),
                Cell(float(row["produced_hours"]), HOURS_FORMAT),
                unit_cell(row["conformity"], "rate"),
            ]
        )
    return section


def alerts_section(start: dt.date, end: dt.date, sections: list[Section]) -> Section:
    section = Section(_("Alerts"), [_("Alert"), _("Detail")])
    for source in sections:
        for row in source.rows:
            status = row[-1]
            if isinstance(status, Cell) and status.tone == TONES["missed"]:
                section.rows.append(
                    [_("Target missed"), f"{row[0]} : {cell_text(row[1])} ({row[2]})"]
                )
    for order in orders_awaiting_validation():
        section.rows.append(
            [
                _("Order awaiting validation"),
                f"{order} — {formatting.short_date(order.validation_deadline)}",
            ]
        )
    for proposal in proposals_awaiting_answer():
        section.rows.append(
            [
                _("Target change awaiting an answer"),
                f"{proposal} — {formatting.short_date(proposal.answer_deadline)}",
            ]
        )
    for interruption in ServiceInterruption.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__date__gte=start), started_at__date__lte=end
    ):
        section.rows.append([_("Service interruption"), str(interruption)])
    if not section.rows:
        section.note = _("No alert.")
    return section


def volume_history(before: dt.date) -> dict[str, dict[dt.date, int]]:
    start = before - dt.timedelta(days=7 * committees.FORECAST_WEEKS * 3)
    counts = daily_counts(start, before - dt.timedelta(days=1))
    return {"calls": counts["calls_received"], "forms": counts["forms_received"]}


def forecast_volumes(before: dt.date, days: list[dt.date]) -> dict[str, dict[dt.date, float]]:
    return {
        name: committees.forecast_days(committees.weekday_averages(series, before=before), days)
        for name, series in volume_history(before).items()
    }


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
