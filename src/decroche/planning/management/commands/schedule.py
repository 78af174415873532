"""`decroche schedule`: optimise the schedules of a period and keep the run (SPEC §6)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from decroche.organisation.models import Site
from decroche.planning.schedule_exports import schedule_workbook
from decroche.planning.schedule_services import ScheduleError, schedule_run
from decroche.planning.schedules import ShiftRules

DEFAULTS = ShiftRules()


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _share(value: str) -> float:
    number = float(value)
    if not 0 <= number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = _(
        "Optimise the advisors' shifts of a period so they cover the need per half-hour at "
        "the fewest paid hours, store the run, and optionally write it as XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="start",
            type=dt.date.fromisoformat,
            required=True,
            help=_("First day (YYYY-MM-DD); the first working day on or after it."),
        )
        parser.add_argument("--days", type=int, default=10, help=_("Working days (default 10)."))
        parser.add_argument("--site", help=_("Site code; default every site."))
        parser.add_argument("--xlsx", type=Path, help=_("Write the workbook to this file."))
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object."))
        parser.add_argument(
            "--time-limit", type=float, default=45.0, help=_("Seconds (default 45).")
        )
        parser.add_argument(
            "--shrinkage", type=_share, default=0.0, help=_("Share off the phones, e.g. 0.3.")
        )
        for name, kind in (
            ("min_daily_hours", float),
            ("max_daily_hours", float),
            ("lunch_after_hours", float),
            ("lunch_window_start", _time),
            ("lunch_window_end", _time),
            ("min_lunch_minutes", int),
            ("max_lunch_minutes", int),
            ("weekly_hours_min", float),
            ("weekly_hours_max", float),
            ("annualised_tolerance_hours", float),
            ("destaffing_share", _share),
            ("reinforcement_share", _share),
        ):
            default = getattr(DEFAULTS, name)
            shown = default.strftime("%H:%M") if isinstance(default, dt.time) else default
            parser.add_argument(
                "--" + name.replace("_", "-"),
                dest=name,
                type=kind,
                default=default,
                help=_("Default %(value)s.") % {"value": shown},
            )

    def handle(self, *args, **options):
        site = None
        if options["site"]:
            site = Site.objects.filter(code=options["site"]).first()
            if site is None:
                raise CommandError(_("Unknown site: %(code)s") % {"code": options["site"]})
        try:
            rules = ShiftRules(
                **{
                    name: options[name]
                    for name in ShiftRules.__dataclass_fields__
                    if name not in ("opening", "closing")
                }
            )
            run = schedule_run(
                start=options["start"],
                days=options["days"],
                rules=rules,
                site=site,
                shrinkage=options["shrinkage"],
                time_limit=options["time_limit"],
            )
        except (ValueError, ScheduleError) as error:
            raise CommandError(str(error)) from error
        if options["xlsx"]:
            options["xlsx"].write_bytes(schedule_workbook(run))
        summary = {
            "run": run.pk,
            "start": run.start.isoformat(),
            "end": run.end.isoformat(),
            "working_days": run.working_days,
            "site": site.code if site else None,
            "advisors": run.parameters.get("advisors"),
            "status": run.status,
            "method": run.method,
            "seconds": run.seconds,
            "paid_hours": run.paid_hours,
            "lower_bound_hours": run.lower_bound_hours,
            "phone_shortfall_hours": run.phone_shortfall_hours,
            "forms_shortfall_hours": run.forms_shortfall_hours,
            "objective": run.objective,
            "best_bound": run.best_bound,
            "gap": run.gap,
            "shifts": run.shifts.count(),
            "xlsx": str(options["xlsx"]) if options["xlsx"] else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        lines = [
            _("Run %(run)d: %(start)s to %(end)s, %(days)d working days, %(advisors)s advisors")
            % {
                "run": run.pk,
                "start": run.start,
                "end": run.end,
                "days": run.working_days,
                "advisors": summary["advisors"],
            },
            _("Status: %(status)s (%(method)s), %(seconds).1f s")
            % {"status": run.get_status_display(), "method": run.method, "seconds": run.seconds},
            _("Paid hours: %(paid).1f; lower bound (need or weekly minima): %(bound).1f")
            % {"paid": run.paid_hours, "bound": run.lower_bound_hours},
            _("Shortfall: phones %(phone).1f h, forms %(forms).1f h")
            % {"phone": run.phone_shortfall_hours, "forms": run.forms_shortfall_hours},
        ]
        if run.gap is not None:
            lines.append(_("Optimality gap: %(gap).2f%%") % {"gap": 100 * run.gap})
        if options["xlsx"]:
            lines.append(_("Workbook: %(path)s") % {"path": options["xlsx"]})
        self.stdout.write("\n".join(lines))
