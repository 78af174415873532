"""Exporting the contact tables to Parquet for the Spark engine (SPEC §3).

One Parquet dataset per contact table, holding only what the formula sources need:
their local-day columns and their fields, with every grain resolved to a readable code
(site code, team code, reason code, advisor login) so that Spark needs no join. Column
names are the formula field names (`site`, `outcome`, `wait_seconds`...), which lets
`indicators.spark` compile conditions without knowing the ORM.

The layout is derived from `bindings.BINDINGS`: a field added to a source there is
exported here without further change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import models
from django.db.models import Model, Q

from .bindings import BINDINGS, LATER_BINDINGS, SourceBinding

CHUNK_ROWS = 200_000


@dataclass(frozen=True)
class TableLayout:
    """The Parquet columns of one contact table: column name -> ORM path."""

    name: str
    model: type[Model]
    columns: dict[str, str]


def table_name(binding: SourceBinding) -> str:
    """The Parquet dataset a source reads (several sources share the forms table)."""
    return binding.model._meta.db_table


def q_fields(condition: Q) -> list[str]:
    """The plain model fields a binding's base filter names (`answered_day__isnull`)."""
    names: list[str] = []
    for child in condition.children:
        if isinstance(child, Q):
            names.extend(q_fields(child))
        else:
            names.append(child[0].split("__", 1)[0])
    return names


def table_layouts() -> dict[str, TableLayout]:
    """Every table the formula sources read, with the union of the columns they need."""
    layouts: dict[str, TableLayout] = {}
    for source, binding in {**BINDINGS, **LATER_BINDINGS}.items():
        if binding.rows is not None:  # computed rows, no table to export
            continue
        name = table_name(binding)
        layout = layouts.setdefault(name, TableLayout(name, binding.model, {}))
        wanted = {**binding.fields, **binding.grains, binding.day_field: binding.day_field}
        if binding.stock_open_field:
            wanted[binding.stock_open_field] = binding.stock_open_field
        wanted.update({field: field for field in q_fields(binding.base)})
        for column, path in wanted.items():
            known = layout.columns.setdefault(column, path)
            if known != path:
                raise ValueError(f"{source}: column {column} is both {known} and {path}")
    return layouts


def _final_field(model: type[Model], path: str) -> models.Field:
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def arrow_type(field: models.Field) -> pa.DataType:
    if isinstance(field, models.BooleanField):
        return pa.bool_()
    if isinstance(field, models.DateTimeField):
        return pa.timestamp("us", tz="UTC")
    if isinstance(field, models.DateField):
        return pa.date32()
    if isinstance(field, models.IntegerField | models.AutoField):
        return pa.int64()
    if isinstance(field, models.FloatField | models.DecimalField):
        return pa.float64()
    return pa.string()


def table_schema(layout: TableLayout) -> pa.Schema:
    return pa.schema(
        [
            pa.field(column, arrow_type(_final_field(layout.model, path)))
            for column, path in layout.columns.items()
        ]
    )


def export_table(layout: TableLayout, directory: Path, *, chunk_rows: int = CHUNK_ROWS) -> int:
    """Write `directory/<table>/part-0.parquet`; returns the number of rows written."""
    schema = table_schema(layout)
    target = directory / layout.name
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.parquet"):
        old.unlink()
    paths = list(layout.columns.values())
    rows = layout.model.objects.order_by().values_list(*paths).iterator(chunk_size=chunk_rows)
    written = 0
    with pq.ParquetWriter(target / "part-0.parquet", schema) as writer:
        chunk: list[tuple] = []

        def flush() -> None:
            columns = list(zip(*chunk, strict=True)) if chunk else [[] for _ in paths]
            writer.write_table(
                pa.Table.from_arrays(
                    [
                        pa.array(values, type=f.type)
                        for values, f in zip(columns, schema, strict=True)
                    ],
                    schema=schema,
                )
            )

        for row in rows:
            chunk.append(row)
            if len(chunk) >= chunk_rows:
                flush()
                written += len(chunk)
                chunk = []
        if chunk or not written:
            flush()
            written += len(chunk)
    return written


def export_contacts(directory: Path) -> dict[str, tuple[int, float]]:
    """Export every table the sources read; returns {table: (rows, seconds)}."""
    directory.mkdir(parents=True, exist_ok=True)
    summary: dict[str, tuple[int, float]] = {}
    for layout in table_layouts().values():
        began = time.perf_counter()
        rows = export_table(layout, directory)
        summary[layout.name] = (rows, time.perf_counter() - began)
    return summary
