"""Start-up stays light (issue 17, point 7): importing the command and loading Django (apps,
models, admin, signals, URL configuration, system checks) imports none of the heavy
libraries; they are imported by the functions that use them (docs/architecture.md).

A behaviour test, not a timed one: it runs in a fresh interpreter, where nothing else of
the test session has been imported yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]
HEAVY = (
    "numpy",
    "pandas",
    "statsmodels",
    "scipy",
    "ortools",
    "openpyxl",
    "reportlab",
    "pyspark",
    "pyarrow",
    "duckdb",
    "holidays",
    "phonenumbers",
    "stdnum",
    "segno",
)
PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
import decroche.cli
import django
django.setup()
from django.core import checks
from django.urls import get_resolver
get_resolver().url_patterns
checks.run_checks()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in set(sys.argv[1:]))))
"""


def _heavy_modules_after(probe: str) -> list[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", probe, *HEAVY],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_django_start_imports_no_heavy_library():
    assert _heavy_modules_after(PROBE) == []


def test_the_probe_sees_a_heavy_import():
    """The same probe after an XLSX export: openpyxl is then loaded (the test can fail)."""
    probe = PROBE.replace(
        "checks.run_checks()\n",
        "checks.run_checks()\nfrom decroche.core.exports import Section, sections_to_xlsx\n"
        "sections_to_xlsx([Section(title='t', headers=('a',), rows=[(1,)])])\n",
    )
    assert "openpyxl" in _heavy_modules_after(probe)
