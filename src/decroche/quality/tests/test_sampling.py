"""The stratified monthly draw (SPEC §7), by hand."""

from decroche.quality.sampling import stratified_draw, stratum_allocation


def test_allocation_is_proportional_with_largest_remainders():
    # 8 evaluations over 50 + 30 + 20 contacts: quotas 4, 2.4, 1.6 → 4, 2, 1 = 7;
    # the one left goes to the largest remainder (0.6, "c"): 4, 2, 2.
    assert stratum_allocation({"a": 50, "b": 30, "c": 20}, 8) == {"a": 4, "b": 2, "c": 2}
    # never more than there are contacts
    assert stratum_allocation({"a": 2, "b": 1}, 8) == {"a": 2, "b": 1}
    assert stratum_allocation({"a": 3}, 0) == {"a": 0}


def test_draw_is_reproducible_stratified_and_without_repeats():
    candidates = [(n, "carte" if n < 60 else "dmp") for n in range(100)]
    first = stratified_draw(candidates, 10, seed=7)
    assert first == stratified_draw(list(reversed(candidates)), 10, seed=7)  # order-free
    assert len(set(first)) == 10
    # 60/40 split of 10: 6 "carte" (ids < 60) and 4 "dmp"
    assert sum(n < 60 for n in first) == 6
    assert stratified_draw(candidates, 10, seed=8) != first
