import datetime as dt

import pytest

from decroche.indicators.catalogue import (
    BEGINNING,
    CatalogueError,
    Target,
    load_catalogue,
    parse_target,
)

REQUIRED_IDS = {
    "answer_rate",
    "average_wait",
    "average_talk_time",
    "average_handling_time",
    "calls_received",
    "calls_handled",
    "qualification_rate",
    "transfer_rate_n1plus",
    "availability_rate",
    "forms_response_rate",
    "forms_per_advisor_day",
    "accessibility_rate",
    "forms_backlog",
    "phone_quality_score",
    "ticket_quality_score",
    "form_quality_score",
    "trained_advisors_rate",
}


def test_shipped_catalogue_has_every_contract_indicator_and_parses():
    catalogue = load_catalogue()
    ids = {indicator.id for indicator in catalogue.indicators}
    assert REQUIRED_IDS <= ids
    by_id = {indicator.id: indicator for indicator in catalogue.indicators}
    assert by_id["answer_rate"].label == "Taux de décroché"
    assert by_id["transfer_rate_n1plus"].target == ""  # a follow-up indicator
    assert by_id["trained_advisors_rate"].pending_source == "training"
    # The first versions hold from the beginning, not from the contract's start: history
    # before it (imported for the forecast, another centre's data) is measured too.
    assert {indicator.valid_from for indicator in catalogue.indicators} == {BEGINNING}
    assert BEGINNING == dt.date(1900, 1, 1)


def test_answer_rate_formula_names_every_correction_term():
    formula = {i.id: i for i in load_catalogue().indicators}["answer_rate"].formula
    for term in (
        "queue_received_direct",
        "queue_transferred_in",
        "queue_overflowed_in",
        "queue_dissuaded_telecom",
        "queue_dissuaded_closure",
        "queue_overflowed_out",
        "queue_taken_back",
        "handled_widening_this_group",
        "handled_widening_other_group",
    ):
        assert term in formula


@pytest.mark.parametrize(
    ("text", "value", "met"),
    [
        (">= 0.90", 0.90, True),
        (">= 0.90", 0.8999, False),
        ("< 120", 120, False),
        ("< 120", 119.5, True),
        ("<= 300", 300, True),
    ],
)
def test_targets(text, value, met):
    assert parse_target(text).is_met(value) is met


def test_no_target_is_a_follow_up_indicator():
    assert parse_target("") is None
    assert str(Target(">=", 0.9)) == ">= 0.9"


def test_bad_entries_are_named(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        "[measures]\nanswered = 'count(calls where outcome = \"answered\")'\n"
        '[[indicators]]\nid = "x"\nlabel = "X"\ncategory = "phone"\nformula = "answerd / 2"\nunit = "rate"\nvalid_from = "2026-01-01"\n'
    )
    with pytest.raises(
        CatalogueError, match=r"indicator #1 \(x\), formula: unknown measure 'answerd'"
    ):
        load_catalogue(path)
    path.write_text(
        '[[indicators]]\nid = "x"\nlabel = "X"\ncategory = "phone"\nformula = "1"\nunit = "rate"\nvalid_from = "2026-01-01"\ntarget = "about 90%"\n'
    )
    with pytest.raises(CatalogueError, match="target 'about 90%'"):
        load_catalogue(path)
