"""Writes of the contacts app: imports of contact records (SPEC §1: the product imports
the telephony's and the support portal's exports; formats in docs/formats.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import pathlib
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone

from decroche.core.imports import ImportSummary
from decroche.core.services import log_action
from decroche.core.tabular.errors import ImportFileError
from decroche.core.tabular.rejects import RejectsWriter, line_masker
from decroche.core.tabular.source import (
    FileInfo,
    inspect_file,
    read_csv,
    read_xlsx,
    sniff_delimiter,
)
from decroche.organisation.models import ContactReason, Site

from .choices import ImportStatus
from .importing.batches import (
    derived_data_complete,
    earlier_attempts_take_over,
    import_batch_discard,
    import_batches_reap,
    runner_identity,
)
from .importing.convert import PARIS, Clock
from .importing.mapping import KINDS, Mapping, load_mapping
from .importing.open_states import open_states_load
from .importing.queue_log import QueueLogParser
from .importing.records import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, Context
from .importing.runner import BatchRunner, convert_rows, run_rows, run_units
from .models import ImportBatch

__all__ = ["contacts_import", "import_batch_discard", "import_batches_reap"]

DEFAULT_TOLERANCE_SECONDS = 2


def contacts_import(
    *,
    kind: str,
    path: pathlib.Path,
    mapping_path: pathlib.Path | None = None,
    user=None,
    file_name: str | None = None,
    show_progress: bool = False,
    batch_size: int = 5000,
    rejects_path: pathlib.Path | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import a calls, forms, agent-states or queue-log file; every row is accounted for
    (rows = accepted + rejected + duplicates) and committed by batches of `batch_size`.
    `on_progress(lines_read, lines_expected)` is called after each committed batch (the
    background job's progress bar, issue 12 point 8).

    Raises `ImportFileError` when the file cannot be imported at all; the `ImportBatch`
    then records the failure, and one audit entry is written either way.
    """
    path = pathlib.Path(path)
    file_name = file_name or path.name
    if kind not in KINDS:
        raise ImportFileError(
            f"{file_name}: unknown import kind {kind!r} (expected one of {', '.join(KINDS)})"
        )
    is_user = user is not None and getattr(user, "is_authenticated", False)
    import_batches_reap()
    batch = ImportBatch.objects.create(
        kind=kind,
        file_name=file_name[:255],
        file_sha256="",
        user=user if is_user else None,
        mapping_name=mapping_path.name if mapping_path else "",
        **runner_identity(),
    )
    rejects = RejectsWriter(
        pathlib.Path(rejects_path or settings.MEDIA_ROOT / "rejects" / f"{batch.pk}.csv")
    )
    runner = None
    try:
        mapping = load_mapping(pathlib.Path(mapping_path), kind=kind) if mapping_path else None
        info = inspect_file(path, name=file_name, encoding=mapping.encoding if mapping else None)
        ImportBatch.objects.filter(pk=batch.pk).update(file_sha256=info.sha256)
        batch.file_sha256 = info.sha256
        runner = BatchRunner(
            ctx=_context(batch.pk, mapping), rejects=rejects, batch_size=max(1, batch_size)
        )
        _run(runner, kind, path, info, mapping, show_progress, on_progress)
        # Complete only once everything derived from the rows is (issue 17): a re-import
        # of an unfinished file takes its rows over, then repeat delays and summary days.
        earlier_attempts_take_over(batch)
        derived_data_complete(batch)
    except BaseException as error:
        status = (
            ImportStatus.INTERRUPTED
            if isinstance(error, KeyboardInterrupt)
            else ImportStatus.FAILED
        )
        _finish(batch, status, rejects, runner, error=str(error) or type(error).__name__)
        log_action("contacts.import.failed", user=user, data=_audit_data(batch, error=str(error)))
        raise
    summary = _finish(batch, ImportStatus.COMPLETED, rejects, runner)
    log_action("contacts.import.completed", user=user, data=_audit_data(batch))
    return summary


def _context(batch_id: int, mapping: Mapping | None) -> Context:
    sites = {code.lower(): pk for pk, code in Site.objects.values_list("pk", "code")}
    advisor_site = mapping.create_advisors_on_site if mapping else ""
    if advisor_site and advisor_site.lower() not in sites:
        # Explicit opt-in of the mapping: the site of the created advisors is created too.
        site = Site.objects.create(code=advisor_site, name=advisor_site)
        sites[advisor_site.lower()] = site.pk
    reasons: dict[str, int] = {}
    for pk, code, label in ContactReason.objects.values_list("pk", "code", "label"):
        reasons[label.lower()] = pk
        reasons[code.lower()] = pk
    is_sqlite = connection.vendor == "sqlite"
    if is_sqlite:
        # A bigger page cache for this connection: index pages of a million-row table
        # stay in memory instead of being re-read for every batch.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")  # 128 MiB
    tolerance = (
        mapping.tolerance_seconds
        if mapping and mapping.tolerance_seconds is not None
        else DEFAULT_TOLERANCE_SECONDS
    )
    return Context(
        batch_id=batch_id,
        sites=sites,
        reasons=reasons,
        adapt_instant=_utc_adapter(is_sqlite),
        adapt_day=(lambda day: day.isoformat() if day else None)
        if is_sqlite
        else (lambda day: day),
        hash_caller=caller_hasher(settings.PSEUDONYMISATION_KEY),
        clock=Clock(mapping.timezone if mapping and mapping.timezone else PARIS),
        tolerance_seconds=int(tolerance),
        default_source_system=(
            mapping.source_system if mapping and mapping.source_system else "file"
        ),
        advisor_site=advisor_site,
    )


def _utc_adapter(is_sqlite: bool):
    """Naive UTC → what the driver stores: Django's SQLite text format (as
    `contacts.bulk.datetime_adapter` writes it), or an aware datetime for PostgreSQL."""
    if is_sqlite:
        return lambda value: None if value is None else value.isoformat(" ")
    return lambda value: None if value is None else value.replace(tzinfo=dt.UTC)


def caller_hasher(key: str):
    """`core.pseudonymise.pseudonymise` for digit strings, with the key prepared once:
    the same fingerprint, a third of the cost per row."""
    prepared = hmac.new(key.encode(), digestmod=hashlib.sha256)

    def hash_digits(digits: str) -> str:
        if not digits:
            return ""
        fingerprint = prepared.copy()
        fingerprint.update(digits.encode())
        return fingerprint.hexdigest()

    return hash_digits


def _check_header(
    info: FileInfo, kind: str, header: list[str], mapping: Mapping | None
) -> list[str]:
    """The header as the converters read it; missing or unknown columns stop the import."""
    if len(set(header)) != len(header):
        twice = sorted({name for name in header if header.count(name) > 1})
        raise ImportFileError(f"{info.name}: line 1: column(s) named twice: {', '.join(twice)}")
    if mapping is not None:
        missing = sorted(mapping.source_columns() - set(header))
        if missing:
            raise ImportFileError(
                f"{info.name}: line 1: missing column(s) {', '.join(missing)} used by the mapping {mapping.name}"
            )
        return header
    names = [name.lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in names]
    if missing:
        raise ImportFileError(
            f"{info.name}: line 1: missing required column(s): {', '.join(missing)}"
        )
    known = set(REQUIRED_COLUMNS[kind]) | set(OPTIONAL_COLUMNS[kind])
    unknown = [name for name in header if name.lower() not in known]
    if unknown:
        raise ImportFileError(
            f"{info.name}: line 1: unknown column(s): {', '.join(unknown)} (see docs/formats.md; "
            "use a mapping file to read another system's columns)"
        )
    return names


def _run(
    runner: BatchRunner,
    kind: str,
    path: pathlib.Path,
    info: FileInfo,
    mapping,
    show_progress: bool,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    from tqdm import tqdm

    rows_separator = ";"
    if info.is_xlsx:
        header, rows, total = read_xlsx(path, info, sheet=mapping.sheet if mapping else None)
    else:
        rows_separator = _delimiter(kind, mapping) or sniff_delimiter(path, info)
        header, rows = read_csv(path, info, delimiter=rows_separator, quoting=kind != "queue-log")
        total = info.lines
    # What the page's progress bar divides by (physical lines: an estimate, header included).
    ImportBatch.objects.filter(pk=runner.ctx.batch_id).update(rows_expected=total)
    progress = tqdm(
        total=total,
        unit=" rows",
        file=sys.stderr,
        disable=not show_progress or None,
        leave=False,
        dynamic_ncols=True,
    )

    def committed(last_line: int) -> None:
        progress.update(max(0, last_line - progress.n))
        if on_progress is not None:
            on_progress(last_line, total or 0)

    runner.on_commit = committed
    with progress:
        if kind == "queue-log":
            source_system = (
                mapping.source_system if mapping and mapping.source_system else "asterisk"
            )
            parser = QueueLogParser(
                source_system=source_system,
                queues=mapping.queues if mapping else {},
                default_site=mapping.default_site if mapping else "",
                agents=mapping.agents if mapping else {},
                outcomes=mapping.outcomes if mapping else {},
                carried=open_states_load(source_system),
            )
            run_units(runner, parser.parse(_with_first(header, rows)))
        else:
            names = _check_header(info, kind, header, mapping)
            runner.rejects.mask_line = line_masker(
                header, _personal_columns(names, mapping), ";" if info.is_xlsx else rows_separator
            )
            run_rows(runner, convert_rows(kind, rows, names, mapping, runner.ctx))


# Columns whose cells are masked in the rejects file (issue 17.12): the caller's number
# and free text (which may hold names); the masks of identifiers apply to every cell.
PERSONAL_FIELDS = frozenset({"caller", "topic", "template_reply"})


def _personal_columns(names: list[str], mapping: Mapping | None) -> set[str]:
    if mapping is None:
        return {name for name in names if name in PERSONAL_FIELDS}
    return {
        column
        for field_name, rule in mapping.fields.items()
        if field_name in PERSONAL_FIELDS
        for column in rule.columns
    }


def _delimiter(kind: str, mapping: Mapping | None) -> str | None:
    if mapping and mapping.delimiter:
        return mapping.delimiter
    return "|" if kind == "queue-log" else None


def _with_first(header: list[str], rows):
    """A queue_log has no header: its first line is a row too."""
    from decroche.core.tabular.source import Row

    yield Row(1, header, "|".join(header))
    yield from rows


def _finish(
    batch: ImportBatch, status: str, rejects: RejectsWriter, runner, *, error: str = ""
) -> ImportSummary:
    rejects.close()
    totals = runner.totals if runner else None
    batch.refresh_from_db()
    batch.status = status
    batch.finished_at = timezone.now()
    batch.error = error
    batch.rejects_path = str(rejects.path) if rejects.count else ""
    batch.rejections = rejects.summary() if rejects.count else {}
    if runner is not None:
        batch.masked_identifiers = runner.ctx.masked_identifiers
    if totals:
        batch.rows, batch.accepted = totals.rows, totals.accepted
        batch.rejected, batch.duplicates = totals.rejected, totals.duplicates
    batch.save()
    return ImportSummary(
        batch_id=batch.pk,
        kind=batch.kind,
        file_name=batch.file_name,
        rows=batch.rows,
        accepted=batch.accepted,
        rejected=batch.rejected,
        duplicates=batch.duplicates,
        rejects_path=batch.rejects_path or None,
        masked_identifiers=batch.masked_identifiers,
    )


def _audit_data(batch: ImportBatch, *, error: str = "") -> dict:
    batch.refresh_from_db()
    data = {
        "batch_id": batch.pk,
        "kind": batch.kind,
        "file": batch.file_name,
        "sha256": batch.file_sha256,
        "rows": batch.rows,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "masked_identifiers": batch.masked_identifiers,
    }
    if error:
        data["error"] = error
    return data


REJECTS_RETENTION_DAYS = 30


def rejects_purge(*, days: int = REJECTS_RETENTION_DAYS, now: dt.datetime | None = None) -> int:
    """Delete the rejects files older than `days` (issue 17.12; docs/formats.md, "Rejected
    rows"): those of the contact imports (the batch keeps its counts by reason, and no
    longer offers the file) and any other file of the rejects directory (roster, orders).
    Idempotent, for cron (`decroche purge_rejects`); one audit entry. Returns the files deleted.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted = 0
    batches = ImportBatch.objects.exclude(rejects_path="").filter(started_at__lt=cutoff)
    for batch in batches:
        path = pathlib.Path(batch.rejects_path)
        if path.is_file():
            path.unlink()
            deleted += 1
        ImportBatch.objects.filter(pk=batch.pk).update(rejects_path="")
    directory = pathlib.Path(settings.MEDIA_ROOT) / "rejects"
    if directory.is_dir():
        for path in directory.iterdir():
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
            if path.is_file() and modified < cutoff:
                path.unlink()
                deleted += 1
    log_action("contacts.rejects.purged", data={"older_than_days": days, "files": deleted})
    return deleted
