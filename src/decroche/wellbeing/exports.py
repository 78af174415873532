"""The anonymous statistics as tables for the page and the XLSX export (issue 14 §5):
labels in French, suppressed cells shown as "< 5", no names, no texts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from decroche.core import formatting
from decroche.core.exports import Section, sections_to_xlsx
from decroche.organisation.models import ContactReason, Site

from .choices import IncidentType, Place, Severity


def _count(value) -> str:
    return _("< 5") if value is None else formatting.number(value)


def tables(stats: dict) -> list[dict]:
    """[{title, rows: [(label, count shown, raw count, rate shown)]}] for the page."""
    names = dict(Site.objects.values_list("code", "name"))
    sites = [
        (
            names.get(code, code),
            _count(cell["events"]),
            cell["events"],
            formatting.number(cell["per_10000_contacts"], 2),
        )
        for code, cell in stats["by_site"].items()
    ]

    def simple(labels, counts):
        return [(str(labels[key]), _count(value), value, "") for key, value in counts.items()]

    return [
        {"title": _("By site"), "rows": sites},
        {
            "title": _("By place or channel"),
            "rows": simple(dict(Place.choices), stats["by_channel"]),
        },
        {"title": _("By type"), "rows": simple(dict(IncidentType.choices), stats["by_type"])},
        {
            "title": _("By contact reason"),
            "rows": simple(
                {
                    "none": _("No reason given"),
                    **dict(ContactReason.objects.values_list("code", "label")),
                },
                stats["by_reason"],
            ),
        },
        {"title": _("By hour"), "rows": simple({k: k for k in stats["by_hour"]}, stats["by_hour"])},
        {
            "title": _("By severity"),
            "rows": simple({str(k): v for k, v in Severity.choices}, stats["by_severity"]),
        },
    ]


def trends_section(trends) -> Section:
    """Events of the trainees before and after each difficult-situations session."""

    def shown(value):
        return value if value is not None else _("< 5")

    rows = [
        [
            t.reference,
            t.first_day,
            t.last_day,
            t.trainees,
            t.days,
            shown(t.before.events),
            t.before.per_10000_calls,
            shown(t.after.events),
            t.after.per_10000_calls,
        ]
        for t in trends
    ]
    return Section(
        title=_("Before and after the training"),
        headers=[
            _("Session"),
            _("First day"),
            _("Last day"),
            _("Trainees"),
            _("Days in each window"),
            _("Events before"),
            _("Per 10,000 calls before"),
            _("Events after"),
            _("Per 10,000 calls after"),
        ],
        rows=rows,
        note=_(
            "Events suffered by the trainees in a window before the session and one of the "
            "same length after it, against the calls they handled. Cells under 5 events are "
            "suppressed."
        ),
    )


def statistics_xlsx(stats: dict, trends=()) -> bytes:
    headers = [_("Group"), _("Events"), _("Events per 10,000 contacts")]
    sections = []
    for table in tables(stats):
        rows = [
            [label, raw if raw is not None else _("< 5"), rate]
            for label, _s, raw, rate in table["rows"]
        ]
        sections.append(Section(title=table["title"], headers=headers, rows=rows))
    summary = Section(
        title=_("Summary"),
        headers=[_("Period"), _("Events"), _("Contacts"), _("Events per 10,000 contacts")],
        rows=[
            [
                f"{stats['period']['start']} – {stats['period']['end']}",
                stats["events"] if stats["events"] is not None else _("< 5"),
                stats["contacts"],
                stats["per_10000_contacts"],
            ]
        ],
        note=_("Cells under 5 events are suppressed. No names."),
    )
    return sections_to_xlsx([summary, *sections, trends_section(trends)])
