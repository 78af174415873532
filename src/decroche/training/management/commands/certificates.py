"""`decroche certificates [--json] [--all]`: the certificates of completion issued.

Each one as `code`, `trainee`, `programme`, `session`, `hours`, `first_day`, `last_day`,
`valid` and `verify_url`, the absolute path of its public verification page
(`/verifier/<code>/`, no login). Revoked certificates only with `--all`.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from decroche.training.exports import verify_path
from decroche.training.selectors import issued_certificates


class Command(BaseCommand):
    help = "List the certificates of completion issued (valid ones; --all for revoked too)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--all", action="store_true", help="include revoked certificates")

    def handle(self, *args, json: bool = False, all: bool = False, **options) -> None:
        certificates = issued_certificates()
        if not all:
            certificates = certificates.filter(revoked_at__isnull=True)
        rows = [
            {
                "code": c.code,
                "trainee": c.enrolment.trainee_name,
                "programme": c.enrolment.session.programme.title,
                "session": c.enrolment.session.reference,
                "hours": float(c.hours),
                "first_day": c.first_day.isoformat(),
                "last_day": c.last_day.isoformat(),
                "valid": c.is_valid,
                "verify_url": verify_path(c.code),
            }
            for c in certificates
        ]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            state = "valid" if row["valid"] else "revoked"
            self.stdout.write(
                f"{row['code']}  {row['trainee']}  {row['programme']}  {row['hours']:g} h  "
                f"{state}  {row['verify_url']}"
            )


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
