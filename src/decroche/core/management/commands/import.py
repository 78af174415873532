"""`decroche import KIND FILE`: import a file of one of the registered kinds
(`decroche.core.imports`: calls, forms, advisor states, an Asterisk queue_log, ...).

Formats and mapping files: docs/formats.md. Ends with a summary (accepted, rejected,
duplicates skipped), or with `--json` a JSON object; a file that cannot be imported
at all exits non-zero with the reason on stderr.
"""

from __future__ import annotations

import json
import pathlib

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from decroche.core.imports import import_kinds
from decroche.core.tabular.errors import ImportFileError


class Command(BaseCommand):
    help = "Import a CSV or XLSX file (or an Asterisk queue_log) of one of the registered kinds."

    def add_arguments(self, parser) -> None:
        kinds = import_kinds()
        parser.add_argument(
            "kind",
            choices=list(kinds),
            help="; ".join(f"{kind.name}: {kind.description}" for kind in kinds.values()),
        )
        parser.add_argument("file", type=pathlib.Path)
        parser.add_argument(
            "--mapping", type=pathlib.Path, help="TOML column-mapping file (docs/formats.md)."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the summary as a JSON object."
        )
        parser.add_argument(
            "--rejects", type=pathlib.Path, help="Where to write rejected rows (CSV)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows committed per transaction."
        )
        parser.add_argument(
            "--as",
            dest="as_login",
            metavar="LOGIN",
            help="The active account on whose behalf the import runs (named in the audit "
            "trail); without it the audit names the system account that ran the command.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the import would change, writing nothing (kinds that offer it: "
            + (", ".join(kind.name for kind in kinds.values() if kind.preview) or "none")
            + ").",
        )

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        kind = import_kinds()[options["kind"]]
        user = _active_user(options["as_login"])
        if options["dry_run"]:
            self._preview(kind, options)
            return
        try:
            summary = kind.run(
                path=options["file"],
                mapping_path=options["mapping"],
                user=user,
                show_progress=not options["json"],
                batch_size=options["batch_size"],
                rejects_path=options["rejects"],
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        self.stdout.write(
            f"{summary.file_name}: {summary.rows} rows — {summary.accepted} accepted, "
            f"{summary.rejected} rejected, {summary.duplicates} duplicates skipped (import #{summary.batch_id})"
        )
        if summary.rejects_path:
            self.stdout.write(f"Rejected rows: {summary.rejects_path}")

    def _preview(self, kind, options) -> None:
        if kind.preview is None:
            raise CommandError(f"--dry-run is not available for {kind.name} imports")
        try:
            preview = kind.preview(path=options["file"], mapping_path=options["mapping"])
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(preview.as_dict()))
        else:
            self.stdout.write(preview.as_text())


def _active_user(login: str | None):
    """The active account named by `--as`, or None (the system account then acts)."""
    if login is None:
        return None
    user = get_user_model().objects.filter(username=login, is_active=True).first()
    if user is None:
        raise CommandError(f"--as {login}: no active account with that login")
    return user
