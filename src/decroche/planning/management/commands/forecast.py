"""`decroche forecast --from D --to D`: calls and forms expected per day and half-hour."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from decroche.planning import selectors
from decroche.planning.forecast import CALLS, FORMS, Forecast


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Expected a date as YYYY-MM-DD, not %(value)r.") % {"value": value}
        ) from error


def forecast_rows(forecasts: dict[str, Forecast]) -> list[dict]:
    """One dict per day: totals and half-hour volumes of both channels."""
    rows = []
    for day in forecasts[CALLS.code].daily:
        row: dict = {"day": day.isoformat(), "open": CALLS.is_open(day)}
        for channel in (CALLS, FORMS):
            result = forecasts[channel.code]
            row[channel.code] = round(result.daily[day], 2)
            row[f"{channel.code}_by_half_hour"] = {
                channel.slot_label(slot): round(float(value), 3)
                for slot, value in enumerate(result.intraday[day])
            }
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = _(
        "Forecast of calls (per half-hour of opening, 08:30-17:30) and contact forms (per "
        "half-hour of receipt) for each day, from the history, the planner's events and the "
        "client's monthly forecasts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help=_("First day, YYYY-MM-DD."))
        parser.add_argument("--to", dest="end", required=True, help=_("Last day, YYYY-MM-DD."))
        parser.add_argument(
            "--history-months",
            type=int,
            default=selectors.DEFAULT_HISTORY_MONTHS,
            help=_("Months of history before the first day (default 12)."),
        )
        parser.add_argument(
            "--no-events", action="store_true", help=_("Ignore the planner's events.")
        )
        parser.add_argument(
            "--no-client-forecast",
            action="store_true",
            help=_("Ignore the client's monthly forecasts."),
        )
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help=_("Print one JSON object."))
        output.add_argument(
            "--csv", type=Path, help=_("Write day, channel, half-hour and volume to this file.")
        )

    def handle(self, *args, **options):
        start, end = parse_day(options["start"]), parse_day(options["end"])
        if end < start:
            raise CommandError(_("--from must not come after --to."))
        if (end - start).days > 366:
            raise CommandError(_("Forecast at most one year at a time."))
        if options["history_months"] < 1:
            raise CommandError(_("--history-months must be at least 1."))
        forecasts = selectors.volume_forecast(
            start,
            end,
            history_months=options["history_months"],
            use_events=not options["no_events"],
            use_client_forecast=not options["no_client_forecast"],
        )
        rows = forecast_rows(forecasts)
        if options["csv"]:
            self._write_csv(options["csv"], rows)
        if options["json"]:
            history_start = selectors.months_before(start, options["history_months"])
            self.stdout.write(
                json.dumps(
                    {
                        "from": start.isoformat(),
                        "to": end.isoformat(),
                        "history": {
                            "from": history_start.isoformat(),
                            "to": (start - dt.timedelta(days=1)).isoformat(),
                        },
                        "totals": {
                            code: round(result.total, 2) for code, result in forecasts.items()
                        },
                        "days": rows,
                    }
                )
            )
            return
        self.stdout.write(self._text(rows, forecasts))

    def _write_csv(self, path: Path, rows: list[dict]) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["day", "channel", "half_hour", "volume"])
            for row in rows:
                for channel in (CALLS, FORMS):
                    for label, value in row[f"{channel.code}_by_half_hour"].items():
                        writer.writerow([row["day"], channel.code, label, value])

    def _text(self, rows: list[dict], forecasts: dict[str, Forecast]) -> str:
        lines = [f"{_('Day'):<12} {_('Calls'):>10} {_('Forms'):>10}"]
        for row in rows:
            mark = "" if row["open"] else "  " + _("closed")
            lines.append(f"{row['day']:<12} {row['calls']:>10.1f} {row['forms']:>10.1f}{mark}")
        lines.append(
            f"{_('Total'):<12} {forecasts[CALLS.code].total:>10.1f} "
            f"{forecasts[FORMS.code].total:>10.1f}"
        )
        return "\n".join(lines)
