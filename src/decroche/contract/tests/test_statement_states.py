"""The statement's three states (issue 18 point 2): objective met; objective missed with no
penalty; penalty due. The objective side compares the exact value with the objective, the
penalty side with the threshold (SPEC §5: "expected" and "penalty threshold" columns), and
the value is shown with the digits it takes not to read as its objective."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from decroche.contacts.factories import calls_make
from decroche.contract import penalties
from decroche.contract.exports import level_rows, statement_dict, value_text
from decroche.contract.penalties import State, Status
from decroche.contract.selectors import monthly_statement
from decroche.contract.services import contract_settings_update, monthly_invoice_record


def _terms(**overrides):
    values = dict(
        code="accessibility_rate",
        label="Taux d'accessibilité",
        breach="<",
        threshold=D("0.98"),
        rate=D("0.01"),
        invoice="phone",
        activity="phone",
        subject_to_grace=True,
    )
    values.update(overrides)
    return penalties.LevelTerms(**values)


def _line(value, target=">= 1.00", *, terms=None, in_grace=False, commitment=True):
    return penalties.level_line(
        terms or _terms(),
        value=value,
        target=target,
        in_grace=in_grace,
        commitment=commitment,
        invoice_phone=D("250000"),
        invoice_forms=D("30000"),
    )


@pytest.mark.parametrize(
    ("value", "state", "status", "met"),
    [
        # the November case: 0.994135 against ≥ 1.00, threshold < 0.98
        (D("0.994135"), State.OBJECTIVE_MISSED, Status.MET, False),
        (D("1.00"), State.OBJECTIVE_MET, Status.MET, True),  # ≥: the objective itself is met
        (D("0.999999"), State.OBJECTIVE_MISSED, Status.MET, False),  # a millionth below
        (D("0.98"), State.OBJECTIVE_MISSED, Status.MET, False),  # <: the threshold is no breach
        (D("0.979999"), State.PENALTY_DUE, Status.MISSED, False),  # a millionth below
        (None, State.NO_DATA, Status.NO_DATA, None),
    ],
)
def test_three_states_at_the_boundaries_of_ge_and_lt(value, state, status, met):
    line = _line(value)
    assert (line.state, line.status, line.objective_met) == (state, status, met)


@pytest.mark.parametrize(
    ("value", "state"),
    [
        # average wait: objective < 120 s, penalised > 240 s
        (D("119.999999"), State.OBJECTIVE_MET),
        (D("120"), State.OBJECTIVE_MISSED),  # <: the objective itself is a miss
        (D("240"), State.OBJECTIVE_MISSED),  # >: the threshold itself is no breach
        (D("240.000001"), State.PENALTY_DUE),
    ],
)
def test_states_at_the_boundaries_of_lt_objective_and_gt_threshold(value, state):
    terms = _terms(code="average_wait", breach=">", threshold=D("240"), unit="seconds")
    assert _line(value, "< 120", terms=terms).state == state


@pytest.mark.parametrize(
    ("objective", "value", "met"),
    [
        ("<= 300", D("300"), True),  # ≤: the objective itself is met
        ("<= 300", D("300.000001"), False),
        ("> 0.5", D("0.5"), False),  # >: the objective itself is a miss
        ("> 0.5", D("0.500001"), True),
        ("", D("0.5"), None),  # a follow-up indicator: nothing to compare
        ("jusqu'à 120 %", D("0.5"), None),  # words: nothing to compare
    ],
)
def test_objective_comparisons_le_and_gt(objective, value, met):
    assert penalties.objective_met(value, objective) is met


def test_threshold_crossed_without_penalty_is_not_shown_as_due():
    assert _line(D("0.5"), in_grace=True).state == State.NO_PENALTY_GRACE
    assert _line(D("0.5"), commitment=False).state == State.NO_PENALTY_BEYOND
    assert _line(D("0.99"), target="").state == State.THRESHOLD_KEPT


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("0.994135"), "99,4\u00a0%"),  # clearly below 100 %
        (D("0.9996"), "99,96\u00a0%"),  # would round to 100,0 %: one more digit
        (D("0.999999"), "99,9999\u00a0%"),  # never "100,0 %" for a miss
        (D("1"), "100,0\u00a0%"),
        (D("0.980001"), "98,0001\u00a0%"),  # would read as the threshold 98,0 %
    ],
)
def test_a_miss_never_reads_as_a_hit(value, shown):
    assert value_text(_line(value)) == shown


@pytest.mark.django_db
def test_json_keeps_its_keys_and_gains_objective_met():
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    calls_make(dt.date(2026, 3, 2), answered=8, abandoned=2)  # 0.8: penalty due
    statement = monthly_statement(
        month=dt.date(2026, 3, 1), invoice_phone=D("250000"), invoice_forms=D("30000")
    )
    levels = {level["level"]: level for level in statement_dict(statement)["levels"]}
    answer = levels["answer_rate"]
    assert (answer["status"], answer["objective_met"]) == ("missed", False)
    assert levels["phone_quality_score"]["objective_met"] is None  # no data
    assert {"value", "target", "threshold", "status", "applies", "amount"} <= set(answer)
    rows = {row["line"].level: row for row in level_rows(statement)}
    assert rows["answer_rate"]["state"] == "Pénalité due"
    assert rows["answer_rate"]["badge"] == "fr-badge--error"
    assert rows["answer_rate"]["objective"] == "≥\u00a090\u00a0%"
    assert rows["answer_rate"]["threshold"] == "<\u00a089\u00a0%"


@pytest.mark.django_db
def test_command_json_and_pdf(tmp_path):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    monthly_invoice_record(
        month=dt.date(2026, 3, 1), phone_amount=D("250000"), forms_amount=D("30000")
    )
    calls_make(dt.date(2026, 3, 2), answered=99, abandoned=1)  # 0.99: objective met
    out, pdf = StringIO(), tmp_path / "releve.pdf"
    call_command("statement", "--month", "2026-03", "--json", "--pdf", str(pdf), stdout=out)
    levels = {level["level"]: level for level in json.loads(out.getvalue())["levels"]}
    assert (levels["answer_rate"]["status"], levels["answer_rate"]["objective_met"]) == (
        "met",
        True,
    )
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_statement_page_shows_words_and_colour(client, users):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    monthly_invoice_record(
        month=dt.date(2026, 3, 1), phone_amount=D("250000"), forms_amount=D("30000")
    )
    calls_make(dt.date(2026, 3, 2), answered=8, abandoned=2)
    client.force_login(users["client_auditor"])
    html = client.get(reverse("contract-statement"), {"month": "2026-03"}).content.decode()
    assert 'fr-badge--error">Pénalité due' in html  # colour and words together
    assert "80,0\u00a0%" in html and "≥\u00a090\u00a0%" in html
    assert "250\u00a0000,00\u00a0€" in html
    assert "0.8" not in html and ">= 0.90" not in html
