"""French numbers, amounts, durations and dates (core.formatting, issue 18 point 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from decroche.core import formatting
from decroche.core.templatetags import decroche_format

NB = "\u00a0"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: formatting.euros(1234.56), f"1{NB}234,56{NB}€"),
        (lambda: formatting.euros(D("250000")), f"250{NB}000,00{NB}€"),
        (lambda: formatting.euros(0.005), f"0,01{NB}€"),  # half-up to the cent
        (lambda: formatting.percent(0.994135), f"99,4{NB}%"),
        (lambda: formatting.percent(0.015), f"1,5{NB}%"),
        (lambda: formatting.duration(125), f"2{NB}min{NB}05{NB}s"),
        (lambda: formatting.duration(45.4), f"45{NB}s"),
        (lambda: formatting.duration(3725), f"1{NB}h{NB}02{NB}min{NB}05{NB}s"),
        (lambda: formatting.long_date(dt.date(2026, 12, 3)), "3 décembre 2026"),
        (lambda: formatting.long_date(dt.date(2026, 12, 1)), "1er décembre 2026"),
        (lambda: formatting.number(1234567.891, 2), f"1{NB}234{NB}567,89"),
        (lambda: formatting.number(-0.04, 1), "0,0"),  # never "-0,0"
        (lambda: formatting.number(-1234, 0), f"-1{NB}234"),
        (lambda: formatting.target(">=", 0.9, "rate"), f"≥{NB}90{NB}%"),
        (lambda: formatting.target(">=", D("0.985"), "rate"), f"≥{NB}98,5{NB}%"),
        (lambda: formatting.target("<", 120, "seconds"), f"<{NB}2{NB}min{NB}00{NB}s"),
        (lambda: formatting.value(None, "rate"), "—"),
    ],
)
def test_french_forms(call, expected):
    assert call() == expected


def test_a_duration_at_its_threshold_shows_its_fraction():
    # 240.4 s is above "> 240 s": it must not read "4 min 00 s" like the threshold
    assert formatting.distinct_value(D("240.4"), "seconds", D("240")) == f"4{NB}min{NB}00,4{NB}s"
    assert formatting.distinct_value(D("240"), "seconds", D("240")) == f"4{NB}min{NB}00{NB}s"


def test_template_filters_are_the_same_functions():
    assert decroche_format.euros(D("1234.5")) == formatting.euros(D("1234.5"))
    assert decroche_format.percent(0.5) == f"50,0{NB}%"
    assert decroche_format.long_date(dt.date(2026, 3, 2)) == "2 mars 2026"
    assert decroche_format.by_unit(125, "seconds") == f"2{NB}min{NB}05{NB}s"
