"""`decroche report --period 2026-03 [--grain day|week|month] [--by site,reason] [--xlsx F] [--csv F] [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from decroche.indicators.exports import report_csv, report_workbook
from decroche.indicators.periods import PERIODS, PeriodError, parse_period
from decroche.indicators.selectors import (
    indicator_reports,
    not_in_force,
    published_versions,
    versions_during,
)
from decroche.indicators.sources import GRAINS


def parse_by(text: str) -> list[tuple[str, ...]]:
    """`site,reason` → two grains; `site+reason` → one combined grain. Overall comes first."""
    grains: list[tuple[str, ...]] = [()]
    for part in filter(None, (p.strip() for p in text.split(","))):
        grain = tuple(g.strip() for g in part.split("+"))
        unknown = [g for g in grain if g not in GRAINS]
        if unknown:
            raise CommandError(
                f"--by: unknown grain {', '.join(unknown)}; choose among {', '.join(GRAINS)}"
            )
        grains.append(grain)
    return grains


class Command(BaseCommand):
    help = "Compute the contract's indicators for a period, at one or more grains (SPEC §3)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--period",
            required=True,
            help="2026-03, 2026-W10, 2026-Q1, 2026, 2026-03-02 or 2026-03-01..2026-03-15",
        )
        parser.add_argument(
            "--grain", choices=PERIODS, help="time buckets (default: the period's own unit)"
        )
        parser.add_argument(
            "--by",
            default="",
            help="site,reason,advisor,team,channel; combine with + (site+reason)",
        )
        parser.add_argument(
            "--indicators", default="", help="comma-separated indicator ids (default: all)"
        )
        parser.add_argument("--xlsx", type=Path, help="write an Excel workbook")
        parser.add_argument("--csv", type=Path, help="write a CSV file")
        parser.add_argument(
            "--json", action="store_true", help="print the results as a JSON list on stdout"
        )

    def handle(self, *args, **options) -> None:
        try:
            start, end, natural = parse_period(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        period = options["grain"] or natural
        codes = [c.strip() for c in options["indicators"].split(",") if c.strip()] or None
        if codes:
            known = {v.code for v in published_versions(codes)}
            missing = sorted(set(codes) - known)
            if missing:
                raise CommandError(f"unknown or never published: {', '.join(missing)}")
        versions = versions_during(start, end, codes)
        # Days on which an indicator has no version are not measured: every output says so.
        notices = not_in_force(start=start, end=end, codes=codes)
        grains = parse_by(options["by"])
        by_grain = indicator_reports(
            start=start, end=end, period=period, grains=grains, codes=codes
        )
        sections = [(grain, by_grain[tuple(grain)]) for grain in grains]
        all_results = [result for _grain, results in sections for result in results]
        if options["xlsx"]:
            title = f"Indicateurs — {options['period']}"
            options["xlsx"].write_bytes(report_workbook(sections, versions, title, notices))
        if options["csv"]:
            options["csv"].write_text(report_csv(all_results, notices), encoding="utf-8")
        if options["json"]:
            rows = [r.as_dict() for r in all_results] + [n.as_dict() for n in notices]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        elif not options["xlsx"] and not options["csv"]:
            for result in all_results:
                keys = " ".join(f"{k}={v}" for k, v in result.keys)
                value = "—" if result.value is None else f"{result.value:.4g}"
                self.stdout.write(
                    f"{result.indicator:<24} {result.period_start} {keys:<30} {value:>10} {result.status}"
                )
            for notice in notices:
                self.stdout.write(f"warning: {notice}")
            return
        for notice in notices:
            self.stderr.write(f"warning: {notice}")
