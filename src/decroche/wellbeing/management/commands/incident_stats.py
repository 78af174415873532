"""`decroche incident-stats --period YYYY-MM [--json]`: anonymous incident statistics.

Counts by site, channel, type and severity, and events per 10,000 contacts (the calls of
the month); cells under 5 events are suppressed (`null`). No names, no texts (issue 14 §5).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from decroche.core.calendar import next_month_first, paris_today
from decroche.wellbeing.selectors import statistics
from decroche.wellbeing.trends import training_trends, trends_as_dicts


def parse_period(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--period: expected YYYY-MM, not {text!r}") from error


class Command(BaseCommand):
    help = "Print the anonymous incident statistics of a month."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, period: str, json: bool = False, **options) -> None:
        start = parse_period(period)
        end = next_month_first(start)
        result = statistics(start, end)
        result["training_trend"] = trends_as_dicts(training_trends(min(paris_today(), end)))
        if json:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(
            f"{period}: {_shown(result['events'])} events, "
            f"{_shown(result['per_10000_contacts'], '-')} per 10,000 contacts"
        )
        for group in ("by_site", "by_channel", "by_type", "by_severity"):
            self.stdout.write(group.replace("_", " ") + ":")
            for key, value in result[group].items():
                count = value["events"] if isinstance(value, dict) else value
                self.stdout.write(f"  {key}: {_shown(count)}")


def _shown(value, hidden: str = "<5") -> str:
    return hidden if value is None else str(value)


def _dumps(result) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
