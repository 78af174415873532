"""Imports of N2 tickets and of evaluations done in another tool (issue 11 point 8)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from decroche.contacts.factories import call_create
from decroche.core.tabular.errors import ImportFileError
from decroche.organisation.models import ContactReason
from decroche.quality import services
from decroche.quality.choices import EvaluationOrigin, TicketStatus
from decroche.quality.importing import evaluations_import, tickets_import
from decroche.quality.models import Evaluation, Ticket
from decroche.quality.tests.test_services import SECTIONS


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rejects(summary) -> list[dict]:
    with open(summary.rejects_path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def reason(db):
    return ContactReason.objects.create(code="activation", label="Activation")


@pytest.mark.django_db
def test_tickets_import_accepts_updates_and_rejects(tmp_path, advisor, reason):
    header = ["ticket_id", "raised_at", "reason", "advisor", "status"]
    path = write_csv(
        tmp_path / "tickets.csv",
        header,
        [
            ["N2-1", "2026-11-03 10:15", "activation", "A1001", "open"],
            ["N2-2", "03/11/2026 16:40", "", "A1001", "closed"],
            ["N2-3", "2026-11-03 10:15", "inconnu", "A1001", "open"],  # unknown reason
            ["N2-4", "pas une date", "", "", ""],  # bad date
            ["N2-5", "2026-11-03 10:15", "", "Z9", ""],  # unknown advisor
        ],
    )
    summary = tickets_import(path=path, rejects_path=tmp_path / "r.csv")
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (5, 2, 3, 0)
    assert [(r["line"], r["field"]) for r in rejects(summary)] == [
        ("4", "reason"),
        ("5", "raised_at"),
        ("6", "advisor"),
    ]
    first = Ticket.objects.get(source_id="N2-1")
    # 10:15 in Paris in November (UTC+1) is 09:15 UTC; the Paris day is kept.
    assert first.raised_at == dt.datetime(2026, 11, 3, 9, 15, tzinfo=dt.UTC)
    assert first.day == dt.date(2026, 11, 3) and first.reason == reason
    # The same file again: nothing doubled, the good rows are duplicates.
    again = tickets_import(path=path, rejects_path=tmp_path / "r2.csv")
    assert (again.accepted, again.duplicates, Ticket.objects.count()) == (0, 2, 2)
    # A later export closes N2-1: updated, not added.
    write_csv(path, header, [["N2-1", "2026-11-03 10:15", "activation", "A1001", "closed"]])
    update = tickets_import(path=path, rejects_path=tmp_path / "r3.csv")
    assert (update.accepted, Ticket.objects.count()) == (1, 2)
    assert Ticket.objects.get(source_id="N2-1").status == TicketStatus.CLOSED


@pytest.mark.django_db
def test_tickets_import_missing_column_names_the_file(tmp_path):
    path = write_csv(tmp_path / "t.csv", ["id", "raised_at"], [["1", "2026-11-03 10:00"]])
    with pytest.raises(ImportFileError, match=r"t\.csv: line 1: missing column\(s\) ticket_id"):
        tickets_import(path=path)


@pytest.fixture
def grid(users):
    draft = services.grid_create(
        code="appel",
        name="Grille appel",
        evaluated_object="call",
        owner="contractor",
        sections=SECTIONS,
        user=users["quality_analyst"],
    )
    return services.grid_version_publish(draft, user=None)


EVALUATION_HEADER = [
    "evaluation_id",
    "contact_kind",
    "contact_id",
    "advisor",
    "evaluator",
    "grid",
    "total",
    "q:bonjour",
    "q:service",
    "q:reponse",
    "c:reponse",
    "q:identite",
]


@pytest.mark.django_db
def test_evaluations_import_scores_with_the_grid(tmp_path, users, advisor, grid):
    evaluator = users["quality_analyst"].username
    call = call_create(dt.date(2026, 11, 2), advisor=advisor)
    other = call_create(dt.date(2026, 11, 2), hour=11, advisor=advisor)
    path = write_csv(
        tmp_path / "evaluations.csv",
        EVALUATION_HEADER,
        [
            # All yes: 30 + 70 = 100.
            [
                "E1",
                "call",
                call.source_id,
                "A1001",
                evaluator,
                "appel",
                "100",
                "yes",
                "yes",
                "yes",
                "",
                "yes",
            ],
            # "reponse" failed: accueil 30 × 2/2 + fond 70 × 1/2 = 30 + 35 = 65.
            [
                "E2",
                "call",
                other.source_id,
                "A1001",
                evaluator,
                "appel",
                "65,0",
                "yes",
                "yes",
                "no",
                "erreur de droits",
                "yes",
            ],
            # The other tool says 80 where the grid gives 65: rejected, not trusted.
            [
                "E3",
                "call",
                call.source_id,
                "A1001",
                evaluator,
                "appel",
                "80",
                "yes",
                "yes",
                "no",
                "x",
                "yes",
            ],
            # A failed item without its comment, as on the page.
            [
                "E4",
                "call",
                call.source_id,
                "A1001",
                evaluator,
                "appel",
                "",
                "yes",
                "yes",
                "no",
                "",
                "yes",
            ],
            ["E5", "call", "nope", "A1001", evaluator, "appel", "", "yes", "yes", "yes", "", "yes"],
            [
                "E6",
                "call",
                call.source_id,
                "A1001",
                "nobody",
                "appel",
                "",
                "yes",
                "yes",
                "yes",
                "",
                "yes",
            ],
            [
                "E7",
                "call",
                call.source_id,
                "A1001",
                evaluator,
                "autre",
                "",
                "yes",
                "yes",
                "yes",
                "",
                "yes",
            ],
        ],
    )
    summary = evaluations_import(path=path, rejects_path=tmp_path / "r.csv")
    assert (summary.rows, summary.accepted, summary.rejected) == (7, 2, 5)
    assert [(r["line"], r["field"]) for r in rejects(summary)] == [
        ("4", "total"),
        ("5", "answers"),
        ("6", "contact_id"),
        ("7", "evaluator"),
        ("8", "grid"),
    ]
    first, second = (Evaluation.objects.get(source_ref=f"import:{ref}") for ref in ("E1", "E2"))
    assert (first.total, second.total) == (D("100"), D("65"))
    assert second.origin == EvaluationOrigin.IMPORTED and second.call == other
    assert second.answers.get(question__code="reponse").comment == "erreur de droits"
    # Idempotent: the same file again adds nothing.
    again = evaluations_import(path=path, rejects_path=tmp_path / "r2.csv")
    assert (again.accepted, again.duplicates, Evaluation.objects.count()) == (0, 2, 2)


@pytest.mark.django_db
def test_evaluations_import_through_the_command_with_a_mapping(tmp_path, users, advisor, grid):
    call = call_create(dt.date(2026, 11, 2), advisor=advisor)
    mapping = tmp_path / "outil.toml"
    mapping.write_text(
        'kind = "quality-evaluations"\nsource_system = "outil-qualite"\n'
        '[fields]\nevaluation_id = "ID"\ncontact_kind = { value = "call" }\n'
        'contact_id = "Appel"\nadvisor = "Conseiller"\nevaluator = "Evaluateur"\ngrid = "Grille"\n',
        encoding="utf-8",
    )
    path = write_csv(
        tmp_path / "export.csv",
        [
            "ID",
            "Appel",
            "Conseiller",
            "Evaluateur",
            "Grille",
            "q:bonjour",
            "q:service",
            "q:reponse",
            "q:identite",
        ],
        [
            [
                "77",
                call.source_id,
                "A1001",
                users["quality_analyst"].username,
                "appel",
                "yes",
                "yes",
                "yes",
                "yes",
            ]
        ],
    )
    call_command("import", "quality-evaluations", str(path), "--mapping", str(mapping))
    assert Evaluation.objects.get(source_ref="outil-qualite:77").total == D("100")


@pytest.mark.django_db
def test_evaluations_import_needs_answer_columns(tmp_path, grid):
    path = write_csv(
        tmp_path / "e.csv", EVALUATION_HEADER[:6], [["E1", "call", "1", "A1", "x", "appel"]]
    )
    with pytest.raises(ImportFileError, match="no answer column"):
        evaluations_import(path=path)
