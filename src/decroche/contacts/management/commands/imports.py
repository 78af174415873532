"""`decroche imports [--json] [--limit N] [--discard ID]`: the contact imports,
newest first (issue 17).

A running import whose process is gone (killed, machine restarted) or whose heartbeat
is stale is shown as `interrupted`, never as `running` (`contacts.importing.batches`).
Re-import the same file to resume it (nothing is doubled), or `--discard ID` to delete
the rows it wrote (audited under the system account that runs the command). The `import` command itself lives in core, which knows no
app; the batches it lists are the contacts app's, so this command lives here.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from decroche.contacts.importing.batches import (
    BatchNotDiscardable,
    import_batch_discard,
    import_batches_reap,
)
from decroche.contacts.models import ImportBatch
from decroche.contacts.selectors import import_batches


class Command(BaseCommand):
    help = "List the contact imports, newest first; interrupted ones can be discarded."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")
        parser.add_argument(
            "--limit", type=int, default=50, help="How many imports (newest first; 0: all)."
        )
        parser.add_argument(
            "--discard",
            type=int,
            metavar="ID",
            help="Delete what interrupted or failed import ID wrote (audited).",
        )

    def handle(self, *args, **options) -> None:
        if options["discard"] is not None:
            self._discard(options)
            return
        import_batches_reap()
        batches = import_batches()
        if options["limit"] > 0:
            batches = batches[: options["limit"]]
        listed = [_as_dict(batch) for batch in batches]
        if options["json"]:
            self.stdout.write(json.dumps(listed, ensure_ascii=False, indent=1))
            return
        if not listed:
            self.stdout.write("No imports yet.")
            return
        self.stdout.write(
            f"{'id':>6} {'kind':<12} {'status':<11} {'started (UTC)':<16} {'rows':>9} "
            f"{'accepted':>9} {'rejected':>9} {'dupl.':>9}  file"
        )
        for item in listed:
            self.stdout.write(
                f"{item['id']:>6} {item['kind']:<12} {item['status']:<11} "
                f"{item['started_at'][:16].replace('T', ' '):<16} {item['rows']:>9} "
                f"{item['accepted']:>9} {item['rejected']:>9} {item['duplicates']:>9}  "
                f"{item['file']}{_note(item)}"
            )

    def _discard(self, options) -> None:
        batch = ImportBatch.objects.filter(pk=options["discard"]).first()
        if batch is None:
            raise CommandError(f"--discard {options['discard']}: no such import")
        try:
            deleted = import_batch_discard(batch=batch)
        except BatchNotDiscardable as error:
            raise CommandError(str(error)) from None
        total = sum(deleted.values())
        details = ", ".join(f"{count} {name}" for name, count in deleted.items()) or "nothing"
        self.stdout.write(f"import #{batch.pk} discarded: {total} rows deleted ({details})")


def _as_dict(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "status": batch.status,
        "file": batch.file_name,
        "started_at": batch.started_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
        "rows": batch.rows,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "rows_expected": batch.rows_expected,
        "runner": f"{batch.runner_host}:{batch.runner_pid}" if batch.runner_pid else "",
        "resumed_by": batch.resumed_by_id,
        "discarded": batch.discarded_at is not None,
        "error": batch.error,
    }


def _note(item: dict) -> str:
    if item["discarded"]:
        return " (discarded)"
    if item["resumed_by"]:
        return f" (resumed by #{item['resumed_by']})"
    if item["status"] in {"interrupted", "failed"}:
        return " (re-import the file to resume, or --discard)"
    return ""
