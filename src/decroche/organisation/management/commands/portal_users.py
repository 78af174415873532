"""`decroche portal-users [--since-last] [--format csv|xlsx] [--output F]`: the support
portal's user list (SPEC §9: last name, first name, unique e-mail), all of it with what
changed since the last export, or only the accounts added and removed since
(`--since-last`). Each export is recorded and audited."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from decroche.organisation.review.portal import FORMATS, portal_users_export


class Command(BaseCommand):
    help = "Export the support portal's user list (CSV or XLSX); recorded and audited."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--since-last",
            action="store_true",
            help="Only the accounts added and removed since the last export.",
        )
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
        parser.add_argument(
            "--output", help="File to write (default: the export's name in this directory)."
        )

    def handle(self, *args, since_last: bool, file_format: str, output: str | None, **options):
        content, name, _type, record = portal_users_export(
            since_last=since_last, file_format=file_format
        )
        target = Path(output or name)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        self.stdout.write(
            f"{target}: export {record.pk}, {record.added} added and {record.removed} removed "
            f"since the previous export; {len(record.user_ids)} accounts on the list."
        )
