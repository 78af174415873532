"""`decroche incident-report --from-json FILE`: record one incident report (issue 14).

The JSON object is documented in docs/incidents.md; `-` reads standard input. Prints the
new report's id. Health notes are encrypted at rest like those entered on the page.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from decroche.wellbeing.intake import IntakeError, report_from_json


class Command(BaseCommand):
    help = "Record one incident report from a JSON object and print its id."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from-json", required=True, metavar="FILE", help="a JSON file, or -")

    def handle(self, *args, from_json: str, **options) -> None:
        try:
            if from_json == "-":
                data = json.load(sys.stdin)
            else:
                with open(from_json, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as error:
            raise CommandError(f"cannot read {from_json}: {error.strerror}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{from_json} is not valid JSON: {error}") from error
        try:
            report = report_from_json(data)
        except IntakeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(report.pk))
