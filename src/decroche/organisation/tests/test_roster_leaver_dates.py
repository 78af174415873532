"""The roster carries the dates the leavers' automation reads (SPEC §9; issue 12.5):
joined, left, absent from / until, through a mapping too, with per-line errors."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.organisation.models import Advisor
from decroche.organisation.services import roster_import, roster_preview

pytestmark = pytest.mark.django_db

HEADER = (
    "site_code;site_name;login;last_name;first_name;email;joined_on;left_on;absent_from;absent_to"
)
ROW = "grenoble;Grenoble;A2001;Martin;Inès;ines.martin@example.org;2025-01-06;{left};{start};{end}"


def write(tmp_path, *rows):
    path = tmp_path / "roster.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("left", "start", "end", "field", "reason"),
    [
        ("2024-01-01", "", "", "left_on", "leaves on 2024-01-01 before joining on 2025-01-06"),
        (
            "",
            "2024-12-01",
            "",
            "absent_from",
            "absence starts on 2024-12-01 before joining on 2025-01-06",
        ),
        (
            "2026-06-30",
            "2026-07-01",
            "",
            "absent_from",
            "absence starts on 2026-07-01 after leaving on 2026-06-30",
        ),
        ("", "", "2026-05-29", "absent_from", "an absence end is given without its start"),
        (
            "",
            "2026-05-29",
            "2026-02-02",
            "absent_to",
            "absence ends on 2026-02-02 before it starts on 2026-05-29",
        ),
        ("31/02/2026", "", "", "left_on", "not a date (YYYY-MM-DD or DD/MM/YYYY): '31/02/2026'"),
    ],
)
def test_inconsistent_dates_are_rejected_on_their_line(tmp_path, left, start, end, field, reason):
    diff = roster_preview(path=write(tmp_path, ROW.format(left=left, start=start, end=end)))
    [outcome] = diff.outcomes
    assert (outcome.line, outcome.action, outcome.field, outcome.reason) == (
        2,
        "rejected",
        field,
        reason,
    )


def test_the_dates_are_stored_and_the_daily_run_reads_them(tmp_path):
    row = ROW.format(left="2026-12-24", start="2026-03-02", end="2026-05-29")
    summary = roster_import(path=write(tmp_path, row))
    assert summary.accepted == 1
    advisor = Advisor.objects.get(login="A2001")
    assert (advisor.joined_on, advisor.left_on, advisor.absent_from, advisor.absent_to) == (
        dt.date(2025, 1, 6),
        dt.date(2026, 12, 24),
        dt.date(2026, 3, 2),
        dt.date(2026, 5, 29),
    )
    assert advisor.user is not None and advisor.user.is_active


def test_a_mapping_names_the_hr_columns_of_the_dates(tmp_path):
    (tmp_path / "hr.toml").write_text(
        'kind = "roster"\ndate_format = "%d/%m/%Y"\nempty = ["-"]\n[fields]\n'
        'site_code = "Site"\nsite_name = "Libellé"\nlogin = "Matricule"\nlast_name = "Nom"\n'
        'first_name = "Prénom"\nemail = "Courriel"\njoined_on = "Entrée"\nleft_on = "Sortie"\n'
        'absent_from = "Début absence"\nabsent_to = "Fin absence"\n',
        encoding="utf-8",
    )
    path = tmp_path / "hr.csv"
    path.write_text(
        "Site;Libellé;Matricule;Nom;Prénom;Courriel;Entrée;Sortie;Début absence;Fin absence\n"
        "grenoble;Grenoble;A2001;Martin;Inès;ines.martin@example.org;06/01/2025;24/12/2026;-;-\n",
        encoding="utf-8",
    )
    diff = roster_preview(path=path, mapping_path=tmp_path / "hr.toml")
    [outcome] = diff.outcomes
    assert outcome.action == "created"
    assert outcome.row.left_on == dt.date(2026, 12, 24) and outcome.row.absent_from is None
