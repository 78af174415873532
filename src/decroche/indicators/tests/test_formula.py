import pytest

from decroche.indicators.formula import (
    BinaryOp,
    BoolOp,
    Comparison,
    FormulaError,
    Measure,
    Name,
    Not,
    Source,
    evaluate,
    measures_in,
    names_in,
    parse,
    split_ratio,
)

SOURCES = {
    "calls": Source(
        "calls",
        {
            "outcome": "text",
            "origin": "text",
            "wait_seconds": "number",
            "talk_seconds": "number",
            "transferred_n1plus": "bool",
            "reason": "text",
        },
    ),
    "forms": Source("forms", {"answered_at": "date"}),
}


def test_counts_sums_and_conditions_become_a_tree():
    tree = parse(
        'count(calls where outcome = "answered") / count(calls where origin in ("direct", "transfer_in"))',
        sources=SOURCES,
    )
    numerator, denominator = split_ratio(tree)
    assert numerator == Measure("count", "calls", None, Comparison("outcome", "=", "answered"))
    assert denominator == Measure(
        "count", "calls", None, Comparison("origin", "in", ("direct", "transfer_in"))
    )


def test_precedence_parentheses_and_unary_minus():
    tree = parse("1 + 2 * 3 - (4 - 1) / 3 * -2", sources=SOURCES)
    # 1 + 6 - (3 / 3 * -2) = 1 + 6 + 2 = 9
    assert evaluate(tree, lambda node: None) == 9


def test_boolean_conditions_and_or_not_null():
    tree = parse(
        "count(calls where transferred_n1plus and not (outcome = 'abandoned' or reason is null))",
        sources=SOURCES,
    )
    (measure,) = measures_in(tree)
    assert measure.condition == BoolOp(
        "and",
        (
            Comparison("transferred_n1plus", "=", True),
            Not(
                BoolOp(
                    "or", (Comparison("outcome", "=", "abandoned"), Comparison("reason", "is null"))
                )
            ),
        ),
    )


def test_evaluate_with_named_measures():
    tree = parse(
        "(talk + wrap_up) / handled",
        sources=SOURCES,
        measure_names=frozenset({"talk", "wrap_up", "handled"}),
    )
    values = {"talk": 2000.0, "wrap_up": 500.0, "handled": 10.0}
    # (2000 + 500) / 10 = 250 seconds
    assert evaluate(tree, lambda node: values[node.name]) == 250.0
    assert names_in(tree) == ["talk", "wrap_up", "handled"]
    assert isinstance(tree, BinaryOp)


def test_division_by_zero_and_missing_values_give_no_data():
    tree = parse("a / b", sources=SOURCES, measure_names=frozenset({"a", "b"}))
    assert evaluate(tree, lambda node: {"a": 3.0, "b": 0.0}[node.name]) is None
    assert evaluate(tree, lambda node: None if node.name == "a" else 1.0) is None


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("count(cals)", "unknown source 'cals'", 6),
        ("count(calls where outcom = 'answered')", "unknown field 'outcom' of calls", 18),
        ("sum(calls.outcome)", "cannot sum 'outcome'", 10),
        ("sum(calls)", "sum needs a field", 9),
        ("count(calls where outcome > 'a')", "> does not apply", 18),
        ("count(calls where wait_seconds = 'x')", "not text", 33),
        ("1 + ", "expected a number", 4),
        ("(1 + 2", "expected ')'", 6),
        ("1 $ 2", "unexpected character '$'", 2),
        ("answerd / 2", "unknown measure 'answerd'", 0),
        ("", "the formula is empty", 0),
        ("1 2", "unexpected '2'", 2),
    ],
)
def test_errors_point_at_their_position(text, message, position):
    with pytest.raises(FormulaError) as caught:
        parse(text, sources=SOURCES, measure_names=frozenset({"answered"}))
    assert message in caught.value.message
    assert caught.value.position == position
    assert caught.value.pointer().splitlines()[-1] == " " * position + "^"


def test_never_evaluates_python():
    with pytest.raises(FormulaError):
        parse("__import__('os').system('true')", sources=SOURCES, measure_names=frozenset())


def test_names_are_not_checked_without_a_catalogue():
    assert parse("anything", sources=SOURCES) == Name("anything", 0)


@pytest.mark.parametrize(
    "text",
    [
        'count(calls where outcome = "answered") / (count(calls) - 2 * sum(calls.wait_seconds where origin in ("direct", "transfer_in")))',
        "count(calls where transferred_n1plus and not (outcome = 'abandoned' or reason is null))",
        "-(count(calls where reason is not null)) + 1.5",
        'count(calls where outcome = "say \\"hi\\"")',
    ],
)
def test_to_text_round_trips(text):
    from decroche.indicators.formula import to_text

    tree = parse(text, sources=SOURCES)
    assert parse(to_text(tree), sources=SOURCES) == tree


def test_inline_names_freezes_measures():
    from decroche.indicators.formula import inline_names, to_text

    measures = {"answered": parse('count(calls where outcome = "answered")', sources=SOURCES)}
    tree = inline_names(parse("answered / 2", sources=SOURCES), measures)
    assert to_text(tree) == '(count(calls where outcome = "answered") / 2)'


def test_parameters_are_numbers_named_once_and_replaced_while_parsing():
    from decroche.indicators.formula import Negate, Number, to_text

    text = "count(calls where wait_seconds <= n) / count(calls) * k with n = 20, k = -1.5"
    tree = parse(text, sources=SOURCES, measure_names=frozenset())
    within = Measure("count", "calls", None, Comparison("wait_seconds", "<=", 20))
    assert tree == BinaryOp(
        "*", BinaryOp("/", within, Measure("count", "calls", None, None)), Negate(Number(1.5))
    )
    # The tree holds plain numbers: written back, it parses without the parameters.
    assert to_text(tree) == "((count(calls where wait_seconds <= 20) / count(calls)) * -(1.5))"
    assert parse(to_text(tree), sources=SOURCES) == tree
    # Parentheses inside the body do not hide the clause; a measure keeps its own meaning.
    nested = parse("(count(calls where (wait_seconds > n))) with n = 3", sources=SOURCES)
    assert nested == Measure("count", "calls", None, Comparison("wait_seconds", ">", 3))


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("count(calls) with n = 1", "parameter 'n' is not used in the formula", 18),
        ("count(calls where wait_seconds <= n)", "neither a value nor a parameter", 34),
        ("count(calls where outcome = n) with n = 1", "a text field is compared with a text", 28),
        ("count(calls) * n with n = 1, n = 2", "parameter 'n' is given twice", 29),
        ("count(calls) * n with n", "expected '='", 23),
        ("count(calls) * n with n = 'x'", "expected a number", 26),
        ("answered * answered with answered = 2", "has the name of a measure", 25),
        ("count(calls) * n with n = 1 2", "unexpected '2' after the parameters", 28),
    ],
)
def test_parameter_errors_point_at_their_position(text, message, position):
    with pytest.raises(FormulaError) as caught:
        parse(text, sources=SOURCES, measure_names=frozenset({"answered"}))
    assert message in caught.value.message
    assert caught.value.position == position
