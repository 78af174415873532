"""`decroche backtest --months 2026-03,2026-04`: forecast accuracy on held-back months."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from decroche.planning import backtest, selectors


def parse_months(text: str) -> list[tuple[int, int]]:
    try:
        months = sorted({backtest.parse_month(part) for part in text.split(",") if part.strip()})
    except ValueError as error:
        raise CommandError(
            _("Unknown month in %(value)r: expected YYYY-MM, e.g. 2026-03.") % {"value": text}
        ) from error
    if not months:
        raise CommandError(_("Give at least one month, e.g. --months 2026-03,2026-04."))
    return months


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


class Command(BaseCommand):
    help = _(
        "Backtest of the volume forecast: WAPE by day and by half-hour on held-back months, "
        "for the model and for the seasonal-naive baseline (same weekday last week)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", required=True, help=_("Held-back months, e.g. 2026-03,2026-04.")
        )
        parser.add_argument(
            "--history-months",
            type=int,
            default=selectors.DEFAULT_HISTORY_MONTHS,
            help=_("Months of history before each month (default 12)."),
        )
        parser.add_argument(
            "--lead-days",
            type=int,
            default=0,
            help=_("Working days between the end of the history and the month (default 0)."),
        )
        parser.add_argument(
            "--no-events", action="store_true", help=_("Ignore the planner's events.")
        )
        parser.add_argument(
            "--no-client-forecast",
            action="store_true",
            help=_("Ignore the client's monthly forecasts."),
        )
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object."))

    def handle(self, *args, **options):
        months = parse_months(options["months"])
        if options["history_months"] < 1:
            raise CommandError(_("--history-months must be at least 1."))
        if options["lead_days"] < 0:
            raise CommandError(_("--lead-days cannot be negative."))
        try:
            results = selectors.backtest_months(
                months,
                history_months=options["history_months"],
                lead_days=options["lead_days"],
                use_events=not options["no_events"],
                use_client_forecast=not options["no_client_forecast"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        overall = {}
        for channel in ("calls", "forms"):
            model, naive = backtest.pooled(r for r in results if r.channel == channel)
            overall[channel] = {"model": model.as_dict(), "seasonal_naive": naive.as_dict()}
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "history_months": options["history_months"],
                        "lead_days": options["lead_days"],
                        "events": not options["no_events"],
                        "client_forecast": not options["no_client_forecast"],
                        "months": [result.as_dict() for result in results],
                        "overall": overall,
                    }
                )
            )
            return
        self.stdout.write(self._text(results, overall))

    def _text(self, results: list[backtest.MonthResult], overall: dict) -> str:
        header = [_("Channel"), _("Month"), _("Actual"), _("Forecast")]
        header += [_("Model WAPE day"), _("Model WAPE half-hour")]
        header += [_("Naive WAPE day"), _("Naive WAPE half-hour")]
        lines = [" | ".join(str(h) for h in header)]
        rows = [result.as_dict() for result in results]
        rows += [{"channel": c, "month": _("all"), **values} for c, values in overall.items()]
        for row in rows:
            model, naive = row["model"], row["seasonal_naive"]
            lines.append(
                " | ".join(
                    [
                        row["channel"],
                        row["month"],
                        f"{model['actual']:.0f}",
                        f"{model['predicted']:.0f}",
                        _percent(model["wape_by_day"]),
                        _percent(model["wape_by_half_hour"]),
                        _percent(naive["wape_by_day"]),
                        _percent(naive["wape_by_half_hour"]),
                    ]
                )
            )
        return "\n".join(lines)
