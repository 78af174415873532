"""`decroche scenario`: import and play role-play scenarios (issue 15, "Interface the
checks use").

    decroche scenario import FILE [--json]
        our JSON, a Twee 3 file (.twee/.tw) or a compiled ink JSON story; prints the new
        scenario's id (--json: {"id", "title", "nodes", "endings"}); a broken file exits
        non-zero naming the node and the reason.
    decroche scenario play ID --choices 1,2,1 [--reply TEXT ...] [--json]
        plays the choices (1-based, in order; a free-text node takes the next --reply) and
        prints {"ending", "path", "criteria": [{"code", "score", "evidence"}], "passed"}.
    decroche scenario list [--json]
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from decroche.practice import engine
from decroche.practice.judges import judge_run
from decroche.practice.models import Scenario
from decroche.practice.scenario_format import ScenarioError, endings
from decroche.practice.services import scenario_import


def parse_choices(text: str) -> list[int]:
    try:
        choices = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise CommandError(
            f"--choices: expected numbers separated by commas, not {text!r}"
        ) from error
    if any(choice < 1 for choice in choices):
        raise CommandError("--choices: choices are numbered from 1")
    return choices


class Command(BaseCommand):
    help = "Import and play role-play scenarios (JSON, Twee 3, ink)."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import a scenario file")
        load.add_argument("file")
        load.add_argument("--json", action="store_true")
        play = actions.add_parser("play", help="play a scenario with given choices")
        play.add_argument("id", type=int)
        play.add_argument("--choices", default="", help="1-based, comma-separated: 1,2,1")
        play.add_argument(
            "--reply", action="append", default=[], help="a free-text reply (repeatable)"
        )
        play.add_argument("--json", action="store_true")
        listing = actions.add_parser("list", help="the scenarios")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "play":
            self._play(options)
        else:
            rows = [
                {"id": s.pk, "title": s.title, "channel": s.channel} for s in Scenario.objects.all()
            ]
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
            else:
                for row in rows:
                    self.stdout.write(f"{row['id']}\t{row['channel']}\t{row['title']}")

    def _import(self, options) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read the file ({error})") from error
        try:
            scenario = scenario_import(text=text, filename=path.name)
        except ScenarioError as error:
            raise CommandError(f"{path}: " + "; ".join(error.errors)) from error
        if options["json"]:
            data = scenario.data
            self.stdout.write(
                json.dumps(
                    {
                        "id": scenario.pk,
                        "title": scenario.title,
                        "nodes": list(data["nodes"]),
                        "endings": endings(data),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(str(scenario.pk))

    def _play(self, options) -> None:
        scenario = Scenario.objects.filter(pk=options["id"]).first()
        if scenario is None:
            raise CommandError(f"scenario {options['id']}: no such scenario")
        try:
            state = engine.play(scenario.data, parse_choices(options["choices"]), options["reply"])
        except engine.MoveError as error:
            raise CommandError(str(error)) from error
        # The configured judge scores, the code decides (practice/judges.py).
        result = judge_run(scenario.data, state["events"], state["ending"])
        output = {
            "ending": state["ending"],
            "path": state["path"],
            "criteria": result["criteria"],
            "faults": result["faults"],
            "total": result["total"],
            "tension": state["tension"],
            "passed": result["passed"],
        }
        if options["json"]:
            self.stdout.write(json.dumps(output, ensure_ascii=False))
        else:
            self.stdout.write(f"ending: {output['ending'] or '(not reached)'}")
            self.stdout.write("path: " + " → ".join(output["path"]))
            for criterion in output["criteria"]:
                self.stdout.write(
                    f"  {criterion['code']}: {criterion['score']}  {criterion['evidence']}"
                )
            self.stdout.write(f"passed: {'yes' if output['passed'] else 'no'}")
