"""Scores and calibration gaps, computed by hand (SPEC §7, §3, §5)."""

from decimal import Decimal as D

import pytest

from decroche.quality.scoring import (
    CriticalScope,
    Grid,
    GridError,
    Option,
    Party,
    Question,
    Section,
    average_gap,
    calibration_gap,
    evaluator_bias,
    grid_check,
    score,
)


def yes_no(code, points, critical=None, na=True):
    options = [Option("yes", D(points)), Option("no", D(0), failure=True)]
    if na:
        options.append(Option("na", not_applicable=True))
    return Question(code, tuple(options), critical)


def three_levels(code, critical=None):
    return Question(
        code,
        (Option("good", D(4)), Option("partly", D(2)), Option("bad", D(0), failure=True)),
        critical,
    )


GRID = Grid(
    (
        Section("greeting", D(20), (yes_no("hello", 2), yes_no("service", 2))),
        Section("substance", D(50), (three_levels("answer"), yes_no("check", 4))),
        Section("time", D(30), (yes_no("within", 1),)),
        Section("bonus", D(5), (yes_no("extra", 1),), bonus=True),
    )
)
ALL_GOOD = {"hello": "yes", "service": "yes", "answer": "good", "check": "yes", "within": "yes"}


def test_perfect_evaluation_is_100_and_bonus_never_exceeds_it():
    assert score(GRID, {**ALL_GOOD, "extra": "yes"}).total == D("100.00")


def test_weights_and_partial_answers():
    result = score(GRID, {**ALL_GOOD, "service": "no", "answer": "partly", "extra": "no"})
    # greeting 2/4 = 0.5; substance (2 + 4)/(4 + 4) = 0.75; time 1/1 = 1
    # total = (20 × 0.5 + 50 × 0.75 + 30 × 1) / (20 + 50 + 30) × 100 = 77.5; bonus 0
    assert result.total == D("77.50")
    assert result.sections["substance"].ratio == D("0.75")


def test_not_applicable_renormalises_its_section():
    result = score(GRID, {**ALL_GOOD, "hello": "na", "service": "no", "extra": "na"})
    # greeting: only "service" applies: 0/2 = 0 (not 0/4 with "hello" counted as earned)
    # total = (20 × 0 + 50 × 1 + 30 × 1) / 100 × 100 = 80
    assert result.total == D("80.00")
    assert result.question_points["hello"] is None


def test_a_section_all_not_applicable_leaves_the_weights():
    result = score(GRID, {**ALL_GOOD, "within": "na", "answer": "partly", "extra": "na"})
    # time is not applicable: total = (20 × 1 + 50 × 0.75) / (20 + 50) × 100 = 57.5/70 × 100
    # = 82.142857… → 82.14
    assert not result.sections["time"].applicable
    assert result.total == D("82.14")


def test_bonus_adds_its_weight_times_its_ratio():
    result = score(GRID, {**ALL_GOOD, "answer": "partly", "extra": "yes"})
    # base = (20 × 1 + 50 × 6/8 + 30 × 1) / 100 × 100 = 87.5; bonus 5 × 1 = 5 → 92.5
    assert result.total == D("92.50")


def test_failed_critical_item_zeroes_its_section_only():
    grid = Grid(
        (
            Section("greeting", D(20), (yes_no("hello", 2), yes_no("service", 2))),
            Section(
                "substance",
                D(50),
                (three_levels("answer"), yes_no("check", 4, CriticalScope.SECTION)),
            ),
            Section("time", D(30), (yes_no("within", 1),)),
        )
    )
    result = score(grid, {**ALL_GOOD, "check": "no"})
    # substance would be 4/8 = 0.5, but its critical item failed: 0
    # total = (20 × 1 + 50 × 0 + 30 × 1) / 100 × 100 = 50
    assert result.total == D("50.00")
    assert result.sections["substance"].zeroed
    assert result.failed_critical == ("check",)
    assert not result.zeroed


def test_failed_critical_item_zeroes_the_evaluation_bonus_included():
    grid = Grid(
        (
            Section("greeting", D(20), (yes_no("hello", 2, CriticalScope.EVALUATION),)),
            Section("substance", D(80), (three_levels("answer"),)),
            Section("bonus", D(5), (yes_no("extra", 1),), bonus=True),
        )
    )
    result = score(grid, {"hello": "no", "answer": "good", "extra": "yes"})
    assert result.total == D("0.00")
    assert result.zeroed


def test_unanswered_and_unknown_answers_are_refused():
    with pytest.raises(GridError, match="within: no answer"):
        score(GRID, {k: v for k, v in ALL_GOOD.items() if k != "within"} | {"extra": "na"})
    with pytest.raises(GridError, match="no option 'maybe'"):
        score(GRID, {**ALL_GOOD, "extra": "maybe"})
    with pytest.raises(GridError, match="unknown questions: ghost"):
        score(GRID, {**ALL_GOOD, "extra": "na", "ghost": "yes"})


def test_grid_check_refuses_grids_that_cannot_score():
    grid_check(GRID)
    with pytest.raises(GridError, match="code used twice"):
        grid_check(Grid((Section("a", D(1), (yes_no("q", 1), yes_no("q", 1))),)))
    with pytest.raises(GridError, match="regular"):
        grid_check(Grid((Section("b", D(5), (yes_no("q", 1),), bonus=True),)))
    with pytest.raises(GridError, match="no option worth points"):
        grid_check(Grid((Section("a", D(1), (yes_no("q", 0),)),)))


def test_calibration_gaps_total_per_section_per_question():
    contractor = score(GRID, {**ALL_GOOD, "extra": "na"})  # 100
    cnam_1 = score(GRID, {**ALL_GOOD, "answer": "partly", "extra": "na"})  # 87.5
    cnam_2 = score(GRID, {**ALL_GOOD, "service": "no", "extra": "na"})  # 90
    gap = calibration_gap(
        GRID, [(Party.CONTRACTOR, contractor), (Party.CNAM, cnam_1), (Party.CNAM, cnam_2)]
    )
    # Cnam mean (87.5 + 90) / 2 = 88.75; gap |88.75 − 100| = 11.25 > 5: not within limit
    assert (gap.contractor_total, gap.cnam_total, gap.gap) == (D("100.00"), D("88.75"), D("11.25"))
    assert not gap.within_limit
    # per section, points of the total: greeting contractor 20; Cnam (20 + 10) / 2 = 15 → 5
    # substance contractor 50; Cnam (37.5 + 50) / 2 = 43.75 → 6.25; time 0
    assert gap.section_gaps == {"greeting": D("5.00"), "substance": D("6.25"), "time": D("0.00")}
    # per question, in the question's points: service 2 vs (2 + 0)/2 = 1 → 1; answer 4 vs 3 → 1
    assert gap.question_gaps["service"] == D("1.00")
    assert gap.question_gaps["answer"] == D("1.00")
    assert gap.question_gaps["hello"] == D("0.00")
    assert "extra" not in gap.question_gaps  # N/A on both sides: no gap measured
    assert average_gap([gap]) == D("11.25")


def test_critical_disagreement_fails_the_calibration_whatever_the_totals():
    grid = Grid(
        (
            Section("a", D(99), (three_levels("answer"),)),
            Section("b", D(1), (yes_no("consent", 1, CriticalScope.SECTION),)),
        )
    )
    contractor = score(grid, {"answer": "good", "consent": "yes"})  # 100
    cnam = score(grid, {"answer": "good", "consent": "no"})  # b zeroed: 99
    gap = calibration_gap(grid, [(Party.CONTRACTOR, contractor), (Party.CNAM, cnam)])
    assert gap.gap == D("1.00")  # within 5 points...
    assert gap.critical_disagreements == ("consent",)
    assert not gap.within_limit  # ...but a critical item is disputed


def test_calibration_needs_both_parties():
    with pytest.raises(GridError, match="no cnam score"):
        calibration_gap(GRID, [(Party.CONTRACTOR, score(GRID, {**ALL_GOOD, "extra": "na"}))])


def test_evaluator_bias_is_the_mean_signed_gap_to_the_consensus():
    bias = evaluator_bias([("alice", D(90), D(85)), ("alice", D(80), D(83)), ("bob", D(70), D(75))])
    # alice: (+5 − 3) / 2 = +1; bob: −5
    assert bias == {"alice": D("1.00"), "bob": D("-5.00")}
