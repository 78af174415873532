"""`decroche staffing`: agents needed for one interval, or what a given staffing achieves."""

from __future__ import annotations

import argparse
import json
import math

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from decroche.planning import erlang


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(
            _("must be a share between 0 and 1 (e.g. 0.9), got %(value)r") % {"value": value}
        )
    return number


class Command(BaseCommand):
    help = _(
        "Agents needed in one interval (Erlang C or Erlang A) to meet the contract targets "
        "(answer rate, average wait) and/or a classic service level, or, with --agents, the "
        "performance a given staffing achieves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--calls", type=float, required=True, help=_("Calls offered."))
        parser.add_argument(
            "--aht", type=float, required=True, help=_("Average handling time in seconds.")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help=_("Interval length in minutes (default 30)."),
        )
        parser.add_argument(
            "--target-wait",
            type=float,
            help=_("Average wait target in seconds, over all calls received."),
        )
        parser.add_argument(
            "--target-answer-rate", type=_fraction, help=_("Answer rate target, e.g. 0.90.")
        )
        parser.add_argument(
            "--service-level",
            type=_fraction,
            help=_("Share answered within --answer-within, e.g. 0.8."),
        )
        parser.add_argument(
            "--answer-within", type=float, help=_("Service-level threshold in seconds, e.g. 20.")
        )
        parser.add_argument(
            "--patience", type=float, help=_("Mean caller patience in seconds (enables Erlang A).")
        )
        parser.add_argument(
            "--shrinkage",
            type=float,
            default=0.0,
            help=_("Share of paid time off the phones, e.g. 0.3."),
        )
        parser.add_argument("--max-occupancy", type=_fraction, help=_("e.g. 0.9."))
        parser.add_argument(
            "--model",
            choices=erlang.MODELS,
            help=_("Default: erlang-a when --patience is given, else erlang-c."),
        )
        parser.add_argument(
            "--agents",
            type=int,
            help=_("Evaluate this many agents on the phones instead of searching."),
        )
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object."))

    def handle(self, *args, **options):
        # --answer-within alone is enough: it says at which threshold to report the service
        # level (the evaluation "what service level at S seconds with N agents?", issue 9).
        if options["service_level"] is not None and options["answer_within"] is None:
            raise CommandError(_("--service-level needs --answer-within (the threshold)."))
        if not 0 <= options["shrinkage"] < 1:
            raise CommandError(_("--shrinkage must be in [0, 1)."))
        try:
            workload = erlang.Workload(
                calls=options["calls"],
                aht=options["aht"],
                interval=options["interval"] * 60,
                patience=options["patience"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        model = options["model"] or erlang.default_model(workload)
        if model == erlang.ERLANG_A and workload.patience is None:
            raise CommandError(_("Erlang A needs --patience (mean patience in seconds)."))
        try:
            targets = erlang.Targets(
                answer_rate=options["target_answer_rate"],
                average_wait=options["target_wait"],
                service_level=options["service_level"],
                answer_within=options["answer_within"],
                max_occupancy=options["max_occupancy"],
            )
            if options["agents"] is not None:
                performance = erlang.evaluate(
                    workload, options["agents"], model=model, answer_within=options["answer_within"]
                )
                agents = options["agents"]
                scheduled = erlang.scheduled_agents(agents, options["shrinkage"])
                meets = erlang.meets(performance, targets)
            else:
                staffing = erlang.required_agents(
                    workload, targets, model=model, shrinkage=options["shrinkage"]
                )
                performance, agents = staffing.performance, staffing.agents
                scheduled, meets = staffing.scheduled_agents, True
        except ValueError as error:
            raise CommandError(str(error)) from error
        notes = []
        if model == erlang.ERLANG_C and targets.answer_rate is not None:
            notes.append(
                _(
                    "Erlang C assumes nobody hangs up: every stable staffing answers "
                    "100% of calls. Give --patience to use Erlang A."
                )
            )
        result = {
            "model": model,
            "agents": agents,
            "scheduled_agents": scheduled,
            "shrinkage": options["shrinkage"],
            "offered_load": performance.offered_load,
            "answer_rate": performance.answer_rate,
            "abandonment_rate": performance.abandonment_rate,
            "average_wait": performance.average_wait,
            "average_wait_answered": performance.average_wait_answered,
            "probability_wait": performance.probability_wait,
            "service_level": performance.service_level,
            "answer_within": performance.answer_within,
            "occupancy": performance.occupancy,
            "stable": performance.stable,
            "meets_targets": meets,
            "notes": notes,
        }
        if options["json"]:
            self.stdout.write(json.dumps(_finite(result)))
        else:
            self.stdout.write(self._text(result, options["agents"] is not None))

    def _text(self, result: dict, evaluated: bool) -> str:
        lines = [
            _("Model: %(model)s, offered load %(load).2f erlangs")
            % {"model": result["model"], "load": result["offered_load"]},
            (
                _("Agents on the phones: %(agents)d")
                if evaluated
                else _("Agents needed on the phones: %(agents)d")
            )
            % {"agents": result["agents"]},
            _("Agents to schedule (shrinkage %(shrinkage).0f%%): %(scheduled)d")
            % {"shrinkage": 100 * result["shrinkage"], "scheduled": result["scheduled_agents"]},
            _("Answer rate: %(value).1f%%") % {"value": 100 * result["answer_rate"]},
            _("Average wait (all calls): %(value).1f s") % {"value": result["average_wait"]},
            _("Average wait (answered calls): %(value).1f s")
            % {"value": result["average_wait_answered"]},
        ]
        if result["service_level"] is not None:
            lines.append(
                _("Service level: %(value).1f%% answered within %(within).0f s")
                % {"value": 100 * result["service_level"], "within": result["answer_within"]}
            )
        else:
            lines.append(_("Service level: not computed (give --answer-within)"))
        lines.append(_("Occupancy: %(value).1f%%") % {"value": 100 * result["occupancy"]})
        if evaluated:
            lines.append(
                _("Meets the targets: yes")
                if result["meets_targets"]
                else _("Meets the targets: no")
            )
        lines.extend(result["notes"])
        return "\n".join(lines)


def _finite(result: dict) -> dict:
    """JSON has no infinity: an unstable queue's endless wait becomes null."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in result.items()
    }
