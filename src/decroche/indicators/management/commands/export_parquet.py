"""`decroche export-parquet DIR`: the contact tables as Parquet, for the Spark engine."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from decroche.indicators.parquet import export_contacts


class Command(BaseCommand):
    help = "Export the contact tables the indicators read to Parquet files (one folder per table)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="target folder, created if needed")

    def handle(self, *args, directory: Path, **options) -> None:
        for table, (rows, seconds) in export_contacts(directory).items():
            self.stdout.write(f"{table:<32} {rows:>10,} rows  {seconds:6.1f} s")
