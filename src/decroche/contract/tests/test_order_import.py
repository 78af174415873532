"""`decroche import orders FILE` (docs/formats.md, "orders"; SPEC §6): every row accounted
for, rejects named by line, field and reason, idempotent, one transaction per file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from decroche.contract.importing import orders_import
from decroche.contract.models import Order, OrderAmendment, OrderLine
from decroche.core.models import AuditEntry
from decroche.core.tabular.errors import ImportFileError

pytestmark = pytest.mark.django_db
D = Decimal
EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
HEADER = "period_start,unit,kind,day,hour,quantity\n"


def write(tmp_path: Path, text: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_with_its_mapping_and_again(tmp_path):
    example = EXAMPLES / "orders" / "cnam-commande-2026-03-02.csv"
    mapping = EXAMPLES / "mappings" / "cnam-orders.toml"
    out = io.StringIO()
    call_command("import", "orders", str(example), mapping=str(mapping), json=True, stdout=out)
    summary = json.loads(out.getvalue())
    # 10 days × 10 hours (UO1 firm) + 10 days (UO3 firm) + 10 days (UO1 indicative)
    assert summary | {"rows": 120, "accepted": 120, "rejected": 0, "duplicates": 0} == summary
    assert {"rows", "accepted", "rejected", "duplicates"} <= set(summary)
    assert Order.objects.count() == 3
    firm_phone = Order.objects.get(unit="UO1", kind="firm")
    assert (firm_phone.period.start, firm_phone.period.end) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 13),
    )
    assert firm_phone.issued_on == dt.date(2026, 2, 16)
    # Monday 2 March 8h: 32 × 1.12 = 35.84 → 35,8 in the file
    assert firm_phone.lines.get(day=dt.date(2026, 3, 2), hour=8).quantity == D("35.8")
    assert Order.objects.get(unit="UO3").lines.filter(hour__isnull=True).count() == 10
    # the same file again changes nothing
    out = io.StringIO()
    call_command("import", "orders", str(example), mapping=str(mapping), json=True, stdout=out)
    again = json.loads(out.getvalue())
    assert (again["rows"], again["accepted"], again["duplicates"]) == (120, 0, 120)
    assert OrderLine.objects.count() == 120 and not OrderAmendment.objects.exists()
    assert AuditEntry.objects.filter(action="contract.orders.imported").count() == 2


def test_rejected_rows_name_line_field_reason_and_take_their_order_along(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "2026-03-02,UO1,firm,2026-03-02,9,60\n"  # line 2: good, order A
        + "2026-03-02,UO1,firm,2026-03-07,9,60\n"  # line 3: Saturday → rejects order A
        + "2026-03-02,UO3,firm,02/03/2026,,56\n"  # line 4: good, order B
        + "2026-03-02,UO3,firm,2026-03-02,,56\n"  # line 5: same line, same quantity: duplicate
        + "2026-03-02,UO9,firm,2026-03-02,,1\n"  # line 6: unknown unit
        + "2026-03-02,UO4,firm,2026-03-03,,abc\n"  # line 7: not a number
        + "2026-03-02,UO2,firm,2026-03-03,,10\n"  # line 8: good, order C
        + "2026-03-02,UO2,firm,2026-03-03,,12\n",  # line 9: conflicts with line 8 → rejects C
    )
    rejects = tmp_path / "rejects.csv"
    summary = orders_import(path=path, rejects_path=rejects)
    # 8 rows = 1 accepted (B) + 6 rejected (2, 3, 6, 7, 8, 9) + 1 duplicate (5)
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (8, 1, 6, 1)
    assert summary.rows == summary.accepted + summary.rejected + summary.duplicates
    with rejects.open(encoding="utf-8") as handle:
        found = {int(r["line"]): (r["field"], r["reason"]) for r in csv.DictReader(handle)}
    assert found[3][0] == "day" and "2026-03-07" in found[3][1]  # not a working day
    assert found[2] == ("", "order not imported: line 3 of the same order is rejected")
    assert found[6][0] == "unit" and "UO9" in found[6][1]
    assert found[7][0] == "quantity"
    assert found[9][0] == "quantity" and "line 8" in found[9][1]
    assert list(Order.objects.values_list("unit", flat=True)) == ["UO3"]


def test_a_changed_file_amends_the_order_and_keeps_its_history(tmp_path):
    first = write(tmp_path, HEADER + "2026-03-02,UO1,firm,2026-03-02,,500\n", "a.csv")
    orders_import(path=first, today=dt.date(2026, 2, 16))
    second = write(
        tmp_path,
        HEADER + "2026-03-02,UO1,firm,2026-03-02,,520\n2026-03-02,UO1,firm,2026-03-03,,480\n",
        "b.csv",
    )
    summary = orders_import(path=second, today=dt.date(2026, 2, 18))
    assert (summary.accepted, summary.duplicates) == (2, 0)
    order = Order.objects.get()
    amendment = order.amendments.get()
    # 500 → 520 + 480 = 1 000; the old line kept in the history, back to validation
    assert (amendment.previous_total, amendment.new_total) == (D("500.00"), D("1000.00"))
    assert amendment.previous_lines == [{"day": "2026-03-02", "hour": None, "quantity": "500.00"}]
    assert (order.revision, order.status, order.issued_on) == (1, "proposed", dt.date(2026, 2, 18))


def test_xlsx_with_date_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["period_start", "unit", "kind", "day", "hour", "quantity", "issued_on"])
    sheet.append([dt.date(2026, 3, 16), "UO1", "indicative", dt.date(2026, 3, 17), 10, 70.5, None])
    sheet.append([dt.date(2026, 3, 16), "uo1", "Indicative", dt.date(2026, 3, 17), 11, 72, None])
    path = tmp_path / "orders.xlsx"
    workbook.save(path)
    summary = orders_import(path=path, today=dt.date(2026, 2, 20))
    assert (summary.rows, summary.accepted, summary.rejected) == (2, 2, 0)
    order = Order.objects.get()
    assert (order.kind, order.issued_on) == ("indicative", dt.date(2026, 2, 20))
    assert sorted(order.lines.values_list("hour", "quantity")) == [(10, D("70.5")), (11, D("72"))]


def test_missing_column_stops_the_file(tmp_path):
    path = write(tmp_path, "period_start,unit,day,quantity\n2026-03-02,UO1,2026-03-02,1\n")
    with pytest.raises(ImportFileError, match=r"orders.csv: line 1: missing column\(s\) kind"):
        orders_import(path=path)
    with pytest.raises(CommandError, match="missing column"):
        call_command("import", "orders", str(path))
    assert not Order.objects.exists()


def test_mapping_with_an_unknown_field_is_refused(tmp_path):
    mapping = write(tmp_path, 'kind = "orders"\n[fields]\nsite = "x"\n', "m.toml")
    path = write(tmp_path, HEADER + "2026-03-02,UO1,firm,2026-03-02,,1\n")
    with pytest.raises(ImportFileError, match="m.toml: unknown field"):
        orders_import(path=path, mapping_path=mapping)
