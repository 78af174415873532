"""`decroche import n2-tickets FILE` and `decroche import quality-evaluations FILE`: the N2
escalation tickets (so that ticket quality has something to evaluate, SPEC §3) and the
evaluations done in another tool (SPEC §7), from CSV or XLSX with an optional mapping file
(docs/formats.md, the same rules as the contact imports).

Both are one transaction per file and idempotent: a row already stored with the same
values counts as a duplicate; every row is accounted for (rows = accepted + rejected +
duplicates), and a rejected row names its line, field and reason in the rejects file.

An imported evaluation is scored by the app from its answers on the named grid (the same
rules as an evaluation typed in, `services.evaluation_submit`): a `total` column, when the
file has one, must agree with that score, so a grid that differs from the other tool's is
caught instead of trusted.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from decroche.accounts.models import User
from decroche.contacts.models import Call, ContactForm
from decroche.core.imports import ImportSummary
from decroche.core.services import log_action
from decroche.core.tabular.errors import ImportFileError, RowRejected
from decroche.core.tabular.mapping import (
    FieldRule,
    field_rules,
    file_options,
    mapping_file_read,
    row_values,
)
from decroche.core.tabular.rejects import RejectsWriter
from decroche.core.tabular.source import Row, inspect_file, read_csv, read_xlsx
from decroche.organisation.models import Advisor, ContactReason

from .choices import EvaluatedObject, EvaluationOrigin, GridOwner, GridStatus, TicketStatus
from .models import Evaluation, GridVersion, Ticket
from .services import AnswerInput, QualityError, evaluation_submit

PARIS = ZoneInfo("Europe/Paris")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
# Answer columns name the grid's question codes behind this prefix: `q:greeting`.
ANSWER_PREFIX = "q:"
# and a failed item's comment (required, as on the page) behind this one: `c:greeting`.
COMMENT_PREFIX = "c:"
# A score from the other tool and the app's own may differ by rounding only.
TOTAL_TOLERANCE = Decimal("0.1")

TICKET_FIELDS = ("ticket_id", "raised_at", "reason", "advisor", "status")
TICKET_REQUIRED = ("ticket_id", "raised_at")
EVALUATION_FIELDS = (
    "evaluation_id",
    "contact_kind",
    "contact_system",
    "contact_id",
    "advisor",
    "evaluator",
    "party",
    "grid",
    "total",
    "comment",
)
EVALUATION_REQUIRED = (
    "evaluation_id",
    "contact_kind",
    "contact_id",
    "advisor",
    "evaluator",
    "grid",
)


@dataclass(frozen=True)
class Table:
    name: str
    sha256: str
    header: list[str]
    rows: Iterator[Row]
    rules: dict[str, FieldRule]
    mapping: str
    source_system: str


def _table(
    path: pathlib.Path, mapping_path, *, kind: str, known, required, default_system: str
) -> Table:
    """The file's rows and the rules that read each documented field from them."""
    data = mapping_file_read(pathlib.Path(mapping_path)) if mapping_path else {}
    if data.get("kind", kind) != kind:
        raise ImportFileError(
            f"{pathlib.Path(mapping_path).name}: this mapping is for {data['kind']!r} imports, not {kind!r}"
        )
    options = file_options(pathlib.Path(mapping_path), data) if mapping_path else None
    info = inspect_file(path, name=path.name, encoding=options.encoding if options else None)
    if info.is_xlsx:
        header, rows, _total = read_xlsx(path, info, sheet=options.sheet if options else None)
    else:
        header, rows = read_csv(path, info, delimiter=options.delimiter if options else None)
    if mapping_path:
        rules = field_rules(
            pathlib.Path(mapping_path), data, kind=kind, known=known, required=required
        )
    else:
        rules = {name: FieldRule(columns=(name,)) for name in known}
    needed = {column for name in required for column in rules[name].columns}
    missing = sorted(needed - set(header))
    if missing:
        raise ImportFileError(
            f"{info.name}: line 1: missing column(s) {', '.join(missing)} (docs/formats.md, {kind})"
        )
    rules = {name: rule for name, rule in rules.items() if set(rule.columns) <= set(header)}
    system = str(data.get("source_system", default_system))
    return Table(
        info.name,
        info.sha256,
        header,
        rows,
        rules,
        pathlib.Path(mapping_path).name if mapping_path else "",
        system,
    )


def parse_datetime(field_name: str, text: str) -> dt.datetime:
    """A local time of the source (Europe/Paris) or an ISO time with its offset."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for fmt in DATETIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if moment is None or moment.year < 2000:
        raise RowRejected(field_name, f"not a date and time (YYYY-MM-DD HH:MM): {text!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


@dataclass
class Tally:
    rejects: RejectsWriter
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0


def _run(
    table: Table,
    *,
    kind: str,
    rejects_path,
    store: Callable[[dict[str, str], dict[str, str]], bool],
    user,
) -> ImportSummary:
    """Read every row, `store` it (True: written, False: already there) in one transaction."""
    default_rejects = settings.MEDIA_ROOT / "rejects" / f"{kind}-{table.sha256[:12]}.csv"
    rejects = RejectsWriter(pathlib.Path(rejects_path or default_rejects))
    tally = Tally(rejects)
    try:
        with transaction.atomic():
            for row in table.rows:
                tally.rows += 1
                if len(row.cells) != len(table.header):
                    rejects.add(
                        row.line,
                        "",
                        f"{len(row.cells)} cells for {len(table.header)} columns",
                        row.raw,
                    )
                    continue
                source = dict(zip(table.header, row.cells, strict=True))
                try:
                    with transaction.atomic():
                        written = store(row_values(table.rules, source), source)
                except RowRejected as error:
                    rejects.add(row.line, error.field, error.reason, row.raw)
                    continue
                if written:
                    tally.accepted += 1
                else:
                    tally.duplicates += 1
        rejects.flush()
    finally:
        rejects.close()
    summary = ImportSummary(
        batch_id=None,
        kind=kind,
        file_name=table.name,
        rows=tally.rows,
        accepted=tally.accepted,
        rejected=rejects.count,
        duplicates=tally.duplicates,
        rejects_path=str(rejects.path) if rejects.count else None,
    )
    log_action(
        f"quality.{kind}.imported",
        user=user,
        data={"file": table.name, "sha256": table.sha256, "mapping": table.mapping}
        | {key: getattr(summary, key) for key in ("rows", "accepted", "rejected", "duplicates")},
    )
    return summary


def _required(values: dict[str, str], names) -> None:
    for name in names:
        if not values.get(name, "").strip():
            raise RowRejected(name, "empty")


def _advisor(login: str) -> Advisor:
    advisor = Advisor.objects.filter(login=login).first()
    if advisor is None:
        raise RowRejected("advisor", f"unknown advisor login {login!r}")
    return advisor


# --- N2 tickets ------------------------------------------------------------------------------


def tickets_import(
    *, path, mapping_path=None, user=None, rejects_path=None, **_options
) -> ImportSummary:
    """Import N2 tickets (id, raised at, reason, advisor, status); a ticket already stored
    is updated when its status, reason or advisor changed, else counted as a duplicate."""
    table = _table(
        pathlib.Path(path),
        mapping_path,
        kind="n2-tickets",
        known=TICKET_FIELDS,
        required=TICKET_REQUIRED,
        default_system="n2",
    )
    reasons = {reason.code: reason for reason in ContactReason.objects.all()}

    def store(values: dict[str, str], _source) -> bool:
        _required(values, TICKET_REQUIRED)
        status = values.get("status", "").strip().lower() or TicketStatus.OPEN
        if status not in TicketStatus.values:
            raise RowRejected("status", f"unknown status {values['status']!r} (open, closed)")
        reason = None
        if values.get("reason"):
            reason = reasons.get(values["reason"])
            if reason is None:
                raise RowRejected("reason", f"unknown contact reason {values['reason']!r}")
        advisor = _advisor(values["advisor"]) if values.get("advisor") else None
        wanted = {
            "raised_at": parse_datetime("raised_at", values["raised_at"]),
            "reason": reason,
            "advisor": advisor,
            "status": status,
        }
        ticket = Ticket.objects.filter(
            source_system=table.source_system, source_id=values["ticket_id"]
        ).first()
        if ticket is None:
            ticket = Ticket(
                source_system=table.source_system, source_id=values["ticket_id"], **wanted
            )
            ticket.save()
            return True
        if all(getattr(ticket, name) == value for name, value in wanted.items()):
            return False
        for name, value in wanted.items():
            setattr(ticket, name, value)
        ticket.save()
        return True

    return _run(table, kind="n2-tickets", rejects_path=rejects_path, store=store, user=user)


# --- evaluations done in another tool --------------------------------------------------------

CONTACT_MODELS = {
    EvaluatedObject.CALL: Call,
    EvaluatedObject.FORM: ContactForm,
    EvaluatedObject.TICKET: Ticket,
}


def _contact(values: dict[str, str]):
    kind = values["contact_kind"].strip().lower()
    if kind not in CONTACT_MODELS:
        raise RowRejected(
            "contact_kind", f"unknown kind {values['contact_kind']!r} (call, form, ticket)"
        )
    found = CONTACT_MODELS[kind].objects.filter(source_id=values["contact_id"])
    if values.get("contact_system"):
        found = found.filter(source_system=values["contact_system"])
    matches = list(found[:2])
    if not matches:
        raise RowRejected("contact_id", f"no {kind} {values['contact_id']!r} in the contact data")
    if len(matches) > 1:
        raise RowRejected(
            "contact_system", f"{kind} {values['contact_id']!r} exists in several systems: name one"
        )
    return matches[0]


def evaluations_import(
    *, path, mapping_path=None, user=None, rejects_path=None, **_options
) -> ImportSummary:
    """Import evaluations scored elsewhere; see the module docstring."""
    table = _table(
        pathlib.Path(path),
        mapping_path,
        kind="quality-evaluations",
        known=EVALUATION_FIELDS,
        required=EVALUATION_REQUIRED,
        default_system="import",
    )
    answer_columns = [column for column in table.header if column.startswith(ANSWER_PREFIX)]
    if not answer_columns:
        raise ImportFileError(
            f"{table.name}: line 1: no answer column (one per question, named {ANSWER_PREFIX}<question code>)"
        )

    def store(values: dict[str, str], source: dict[str, str]) -> bool:
        _required(values, EVALUATION_REQUIRED)
        reference = f"{table.source_system}:{values['evaluation_id']}"
        if Evaluation.objects.filter(source_ref=reference).exists():
            return False
        version = (
            GridVersion.objects.filter(grid__code=values["grid"], status=GridStatus.PUBLISHED)
            .order_by("-number")
            .first()
        )
        if version is None:
            raise RowRejected("grid", f"no published grid {values['grid']!r}")
        evaluator = User.objects.filter(username=values["evaluator"], is_active=True).first()
        if evaluator is None:
            raise RowRejected("evaluator", f"no active account {values['evaluator']!r}")
        party = values.get("party", "").strip().lower() or GridOwner.CONTRACTOR
        if party not in GridOwner.values:
            raise RowRejected("party", f"unknown party {values['party']!r} (contractor, cnam)")
        answers = {
            column.removeprefix(ANSWER_PREFIX): AnswerInput(
                option=source[column].strip(),
                comment=source.get(COMMENT_PREFIX + column.removeprefix(ANSWER_PREFIX), ""),
            )
            for column in answer_columns
            if source[column].strip()
        }
        try:
            evaluation = evaluation_submit(
                evaluator=evaluator,
                party=party,
                version=version,
                advisor=_advisor(values["advisor"]),
                contact=_contact(values),
                answers=answers,
                origin=EvaluationOrigin.IMPORTED,
                comment=values.get("comment", ""),
            )
        except QualityError as error:
            raise RowRejected("answers", str(error)) from None
        if values.get("total"):
            try:
                given = Decimal(values["total"].replace(",", "."))
            except InvalidOperation:
                raise RowRejected("total", f"not a number: {values['total']!r}") from None
            if evaluation.total is None or abs(given - evaluation.total) > TOTAL_TOLERANCE:
                raise RowRejected(
                    "total",
                    f"{given} given, the grid {version.grid.code} v{version.number} scores {evaluation.total}",
                )
        Evaluation.objects.filter(pk=evaluation.pk).update(source_ref=reference)
        return True

    return _run(
        table, kind="quality-evaluations", rejects_path=rejects_path, store=store, user=user
    )
