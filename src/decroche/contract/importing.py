"""`decroche import orders FILE`: the Cnam's orders of productive hours or acts, from a CSV
or XLSX spreadsheet (docs/formats.md, "orders"; SPEC §6).

One row is one order line: a work unit, a kind (firm or indicative), the ten-day period's
first day, a day, an optional hour and a quantity. The rows of one (period, unit, kind)
make one whole order: a new one is issued, a different one amends the stored order (its
history is kept in `OrderAmendment`), the same one changes nothing (its rows count as
duplicates). A rejected row rejects the rest of its order (a partial order would be
wrong); every row is accounted for (rows = accepted + rejected + duplicates) and the whole
file is one transaction.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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

from .choices import OrderKind, WorkUnit
from .deadlines import ten_day_period
from .models import Order, OrderPeriod
from .services import order_amend, order_issue, order_line_problem

KIND = "orders"
REQUIRED_FIELDS = ("period_start", "unit", "kind", "day", "quantity")
OPTIONAL_FIELDS = ("hour", "issued_on")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class OrdersMapping:
    name: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    fields: dict[str, FieldRule] = field(default_factory=dict)


def orders_mapping_load(path: pathlib.Path) -> OrdersMapping:
    """Read a mapping file for orders (same rules as the contact imports)."""
    data = mapping_file_read(path)
    if data.get("kind", KIND) != KIND:
        raise ImportFileError(
            f"{path.name}: this mapping is for {data['kind']!r} imports, not {KIND!r}"
        )
    return OrdersMapping(
        name=path.name,
        **vars(file_options(path, data)),
        fields=field_rules(
            path,
            data,
            kind=KIND,
            known=(*REQUIRED_FIELDS, *OPTIONAL_FIELDS),
            required=REQUIRED_FIELDS,
        ),
    )


def _default_rules() -> dict[str, FieldRule]:
    return {name: FieldRule(columns=(name,)) for name in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)}


def parse_date(name: str, text: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowRejected(name, f"not a date (YYYY-MM-DD or DD/MM/YYYY): {text!r}")


@dataclass(frozen=True)
class OrderRow:
    line: int
    raw: str
    period_start: dt.date
    unit: str
    kind: str
    day: dt.date
    hour: int | None
    quantity: Decimal
    issued_on: dt.date | None


def _parse(row: Row, values: dict[str, str]) -> OrderRow:
    for name in REQUIRED_FIELDS:
        if not values.get(name):
            raise RowRejected(name, "empty")
    unit = values["unit"].upper()
    if unit not in WorkUnit.values:
        raise RowRejected("unit", f"unknown work unit {values['unit']!r} (UO1, UO2, UO3, UO4)")
    kind = values["kind"].lower()
    if kind not in OrderKind.values:
        raise RowRejected("kind", f"unknown kind {values['kind']!r} (firm, indicative)")
    hour = None
    if values.get("hour"):
        try:
            hour = int(values["hour"].split(":")[0].removesuffix("h"))
        except ValueError:
            raise RowRejected("hour", f"not an hour (0 to 23): {values['hour']!r}") from None
    try:
        quantity = Decimal(values["quantity"].replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise RowRejected("quantity", f"not a number: {values['quantity']!r}") from None
    if not quantity.is_finite():
        raise RowRejected("quantity", f"not a number: {values['quantity']!r}")
    return OrderRow(
        line=row.line,
        raw=row.raw,
        period_start=parse_date("period_start", values["period_start"]),
        unit=unit,
        kind=kind,
        day=parse_date("day", values["day"]),
        hour=hour,
        quantity=quantity,
        issued_on=parse_date("issued_on", values["issued_on"]) if values.get("issued_on") else None,
    )


class _Tally:
    def __init__(self, rejects: RejectsWriter) -> None:
        self.rejects = rejects
        self.rows = self.accepted = self.duplicates = 0

    def reject(self, line: int, field_name: str, reason: str, raw: str) -> None:
        self.rejects.add(line, field_name, reason, raw)


def orders_import(
    *,
    path: pathlib.Path,
    mapping_path: pathlib.Path | None = None,
    user=None,
    show_progress: bool = False,
    batch_size: int = 5000,
    rejects_path: pathlib.Path | None = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Import an orders file in one transaction; see the module docstring."""
    path = pathlib.Path(path)
    mapping = orders_mapping_load(pathlib.Path(mapping_path)) if mapping_path else None
    info = inspect_file(path, name=path.name, encoding=mapping.encoding if mapping else None)
    if info.is_xlsx:
        header, rows, _total = read_xlsx(path, info, sheet=mapping.sheet if mapping else None)
    else:
        header, rows = read_csv(path, info, delimiter=mapping.delimiter if mapping else None)
    rules = mapping.fields if mapping else _default_rules()
    required = {c for name in REQUIRED_FIELDS for c in rules[name].columns}
    missing = sorted(required - set(header))
    if missing:
        raise ImportFileError(
            f"{info.name}: line 1: missing column(s) {', '.join(missing)} (docs/formats.md, orders)"
        )
    # optional columns absent from the file are simply not given
    rules = {name: rule for name, rule in rules.items() if set(rule.columns) <= set(header)}
    default_rejects = settings.MEDIA_ROOT / "rejects" / f"orders-{info.sha256[:12]}.csv"
    rejects = RejectsWriter(pathlib.Path(rejects_path or default_rejects))
    tally = _Tally(rejects)
    issued_default = today or timezone.localdate()
    try:
        with transaction.atomic():
            groups = _read_groups(rows, header, rules, tally)
            for key, group in groups.items():
                _write_order(
                    key, group, tally, user=user, issued_default=issued_default, file=info.name
                )
        rejects.flush()
    finally:
        rejects.close()
    summary = ImportSummary(
        batch_id=None,
        kind=KIND,
        file_name=info.name,
        rows=tally.rows,
        accepted=tally.accepted,
        rejected=rejects.count,
        duplicates=tally.duplicates,
        rejects_path=str(rejects.path) if rejects.count else None,
    )
    log_action(
        "contract.orders.imported",
        user=user,
        data={
            "file": info.name,
            "sha256": info.sha256,
            "mapping": mapping.name if mapping else "",
            "rows": summary.rows,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "duplicates": summary.duplicates,
        },
    )
    return summary


GroupKey = tuple[dt.date, str, str]


def _read_groups(rows, header, rules, tally: _Tally) -> dict[GroupKey, list]:
    """Parse every row; rows grouped by order, each group a list of OrderRow or
    (line, raw, field, reason) for a rejected row."""
    groups: dict[GroupKey, list] = defaultdict(list)
    for row in rows:
        tally.rows += 1
        if len(row.cells) != len(header):
            tally.reject(row.line, "", f"{len(row.cells)} cells for {len(header)} columns", row.raw)
            continue
        source = dict(zip(header, row.cells, strict=True))
        try:
            values = row_values(rules, source)
            parsed = _parse(row, values)
        except RowRejected as error:
            tally.reject(row.line, error.field, error.reason, row.raw)
            continue
        first, _last = ten_day_period(parsed.period_start)
        groups[(first, parsed.unit, parsed.kind)].append(parsed)
    return groups


def _write_order(
    key: GroupKey, group: list[OrderRow], tally: _Tally, *, user, issued_default, file
) -> None:
    period_start, unit, kind = key
    first, last = ten_day_period(period_start)
    period = OrderPeriod(start=first, end=last)
    lines: dict[tuple[dt.date, int | None], OrderRow] = {}
    problems: list[tuple[OrderRow, str, str]] = []
    duplicates: list[OrderRow] = []
    for row in group:
        problem = order_line_problem(period, row.day, row.hour, row.quantity)
        earlier = lines.get((row.day, row.hour))
        if problem:
            problems.append((row, *problem))
        elif earlier is None:
            lines[(row.day, row.hour)] = row
        elif earlier.quantity == row.quantity:
            duplicates.append(row)
        else:
            problems.append(
                (
                    row,
                    "quantity",
                    f"line {earlier.line} gives {earlier.quantity} for the same day and hour",
                )
            )
    if problems:
        first_bad = problems[0][0].line
        bad = {row.line for row, _f, _r in problems}
        for row, field_name, reason in problems:
            tally.reject(row.line, field_name, str(reason), row.raw)
        for row in group:
            if row.line not in bad:
                tally.reject(
                    row.line,
                    "",
                    f"order not imported: line {first_bad} of the same order is rejected",
                    row.raw,
                )
        return
    tally.duplicates += len(duplicates)
    wanted_lines = sorted(((d, h, row.quantity) for (d, h), row in lines.items()), key=_line_key)
    existing = Order.objects.filter(period__start=first, unit=unit, kind=kind).first()
    issued_on = next((row.issued_on for row in group if row.issued_on), None) or issued_default
    if existing is not None:
        stored = sorted(existing.lines.values_list("day", "hour", "quantity"), key=_line_key)
        if [(d, h, Decimal(q)) for d, h, q in stored] == wanted_lines:
            tally.duplicates += len(lines)
            return
        order_amend(
            order=existing,
            lines=wanted_lines,
            reason=f"import {file}",
            amended_on=issued_on,
            user=user,
        )
    else:
        order_issue(
            period_start=first,
            unit=unit,
            kind=kind,
            lines=wanted_lines,
            issued_on=issued_on,
            user=user,
        )
    tally.accepted += len(lines)


def _line_key(line) -> tuple:
    day, hour, _quantity = line
    return (day, -1 if hour is None else hour)
