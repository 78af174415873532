"""From a class-level solution to one shift per advisor (see ``solver``).

Both models say, per class of identical advisors and day, how many work each paid length,
and per skill group and day, how many work each shift pattern. ``split_flows`` cuts the flow
model's solution into one path per advisor: exact, each advisor's week within its bounds by
construction. ``split_greedily`` splits the summed model's lengths: day by day the longest
shifts go to the members with the fewest hours so far; a shift no member can take within its
weekly maximum is dropped (a packing problem the summed model does not see), and members
under their minimum lengthen shifts or take extra ones. With annualised hours, weeks are
paired to balance the advisors' period totals, then the period minimum is topped up the
same way. ``hand_out`` finally gives every advisor a concrete shift pattern.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .costs import assign_forms
from .types import (
    FORMS,
    LUNCH,
    OFF,
    AdvisorInput,
    AdvisorShift,
    Requirement,
    ShiftPattern,
    ShiftRules,
    shift_patterns,
    standard_pattern,
)

PATTERN_GROUPS = ("phone", "both")  # skill groups whose time of day matters
# What each advisor-day receives: (planned length or 0, half-hours added to it, extra
# shift length or 0).
Handed = dict[tuple, tuple[int, int, int]]


def split_flows(
    requirement: Requirement,
    rules: ShiftRules,
    units: list,
    lengths: dict[tuple[int, int, int], int],
    flows: dict[tuple, int],
    all_lengths: list[int],
) -> Handed:
    """Each advisor's length per day from the flow model (``lengths`` for one-advisor units)."""
    handed: Handed = {}
    for u, unit in enumerate(units):
        if unit.size == 1:
            key = unit.members[0].key
            handed.update({(key, d): (n, 0, 0) for (v, d, n), c in lengths.items() if v == u and c})
        else:
            weeks = []
            for label, indices, _low, _high in unit.bounds.weeks:
                left = Counter(
                    {
                        (step, so_far, n): c
                        for (v, w, step, so_far, n), c in flows.items()
                        if v == u and w == label and c
                    }
                )
                paths = []
                for _member in unit.members:
                    so_far, path = 0, []
                    for step, d in enumerate(indices):
                        n = max(
                            n for (s, h, n), c in left.items() if (s, h) == (step, so_far) and c
                        )
                        left[step, so_far, n] -= 1
                        so_far += n
                        path.append((d, n))
                    paths.append(path)
                weeks.append(paths)
            _pair_weeks(handed, unit, weeks)
        _complete(handed, unit, requirement, rules, all_lengths)
    return handed


def split_greedily(
    requirement: Requirement,
    rules: ShiftRules,
    units: list,
    lengths: dict[tuple[int, int, int], int],
    all_lengths: list[int],
    *,
    time_limit: float = 2.0,
    unpacked: set[int] | None = None,
) -> Handed:
    """Each advisor's length per day from the summed model (module docstring). A shift its
    class cannot take goes to another advisor of the same skills free that day; the class's
    index is added to ``unpacked``."""
    handed: Handed = {}
    dropped = []
    for u, unit in enumerate(units):
        weeks = []
        for _label, indices, _low, high in unit.bounds.weeks:
            planned = {
                d: sorted(
                    (n for n in all_lengths for _ in range(lengths.get((u, d, n), 0))), reverse=True
                )
                for d in indices
            }
            paths, left_over = _pack_greedily(unit.size, planned, high)
            if left_over and unit.size > 1:
                exact = _pack_exactly(unit.size, planned, high, paths, time_limit)
                paths, left_over = (exact, []) if exact else (paths, left_over)
            dropped += [(unit.group, d, n) for d, n in left_over]
            if left_over and unpacked is not None:
                unpacked.add(u)
            weeks.append(paths)
        _pair_weeks(handed, unit, weeks)
    for group, d, n in dropped:
        _give_elsewhere(handed, units, group, d, n)
    for unit in units:
        _complete(handed, unit, requirement, rules, all_lengths)
    return handed


def _give_elsewhere(handed: Handed, units: list, group: str, d: int, n: int) -> None:
    """Give a shift of ``n`` half-hours on day d to the advisor of ``group`` free that day
    with the most weekly room left, if one can take it."""
    best, best_room = None, 0
    for unit in units:
        if unit.group != group or not unit.members[0].available[d]:
            continue
        indices, high = next((i, h) for _l, i, _low, h in unit.bounds.weeks if d in i)
        for member in unit.members:
            if (member.key, d) not in handed:
                room = high - sum(
                    sum(handed[member.key, e]) for e in indices if (member.key, e) in handed
                )
                if room >= n and room > best_room:
                    best, best_room = member.key, room
    if best is not None:
        handed[best, d] = (n, 0, 0)


def _pack_greedily(size: int, planned: dict[int, list[int]], high: int):
    """One week: each day's shifts, longest first, to the free member with the fewest hours
    who stays within ``high``; returns the members' paths and the (day, length) dropped."""
    used, paths, dropped = [0] * size, [[] for _ in range(size)], []
    for d, lengths in planned.items():
        free = set(range(size))
        for n in lengths:
            fits = [i for i in free if used[i] + n <= high]
            if not fits:
                dropped.append((d, n))
                continue
            i = min(fits, key=lambda i: (used[i], i))
            free.discard(i)
            used[i] += n
            paths[i].append((d, n))
    return paths, dropped


def _pack_exactly(size: int, planned: dict[int, list[int]], high: int, start, time_limit: float):
    """One week: every planned shift to a member within ``high`` (CP-SAT from the greedy
    packing ``start``), or None when none is found in time. The members are interchangeable:
    requiring their week totals in decreasing order leaves one packing of each kind instead
    of every permutation of it (symmetry breaking), and the hint is ordered the same way."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    take, totals = {}, []
    start = sorted(start, key=lambda path: -sum(n for _d, n in path))
    for i in range(size):
        started = dict(start[i])
        mine = []
        for d, lengths in planned.items():
            here = []
            for n in set(lengths):
                take[i, d, n] = model.new_bool_var(f"p{i}_{d}_{n}")
                model.add_hint(take[i, d, n], started.get(d) == n)
                here.append(take[i, d, n])
                mine.append(n * take[i, d, n])
            model.add_at_most_one(here)
        totals.append(sum(mine))
        model.add(totals[i] <= high)
        if i:
            model.add(totals[i - 1] >= totals[i])
    for d, lengths in planned.items():
        for n, count in Counter(lengths).items():
            model.add(sum(take[i, d, n] for i in range(size)) == count)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    paths = [[] for _ in range(size)]
    for (i, d, n), var in take.items():
        if solver.value(var):
            paths[i].append((d, n))
    return paths


def _pair_weeks(handed: Handed, unit, weeks: list[list[list[tuple[int, int]]]]) -> None:
    """Give each week's paths to the members, the longest week to whoever has worked least
    so far (it only matters for the period bound of annualised hours)."""
    totals = {member.key: 0 for member in unit.members}
    for paths in weeks:
        paths = sorted(paths, key=lambda path: -sum(n for _d, n in path))
        members = sorted(totals, key=lambda key: (totals[key], str(key)))
        for path, key in zip(paths, members, strict=True):
            totals[key] += sum(n for _d, n in path)
            handed.update({(key, d): (n, 0, 0) for d, n in path if n})


def _complete(handed: Handed, unit, requirement, rules, all_lengths) -> None:
    """Bring each member up to its weekly, then period, minimum: lengthen shifts, then add."""
    bounds = unit.bounds
    for member in unit.members:
        key = member.key

        def used(days, key=key) -> int:
            return sum(sum(handed[key, d]) for d in days if (key, d) in handed)

        for _label, indices, low, high in bounds.weeks:
            missing, room = low - used(indices), high - used(indices)
            _top_up(handed, key, indices, member.available, missing, room, rules, all_lengths)
        for _label, indices, _low, high in bounds.weeks:
            missing = bounds.period_min - used(range(len(requirement.days)))
            room = high - used(indices)
            _top_up(handed, key, indices, member.available, missing, room, rules, all_lengths)


def _top_up(
    handed: Handed,
    key,
    days,
    available: tuple[bool, ...],
    missing: int,
    room: int,
    rules: ShiftRules,
    all_lengths: list[int],
) -> int:
    """Lengthen the advisor's shortest shifts on ``days``, then add shifts on free days, to add
    ``missing`` half-hours without going beyond ``room``; returns the half-hours added."""
    added = 0
    for d in sorted((d for d in days if (key, d) in handed), key=lambda d: sum(handed[key, d])):
        planned, longer, extra = handed[key, d]
        current = planned + longer + extra
        wanted = current + min(missing, room) - added
        length = max((n for n in all_lengths if n <= wanted), default=current)
        if length > current:
            handed[key, d] = (planned, length - planned, 0) if planned else (0, 0, length)
            added += length - current
    for d in days:
        if added >= missing or not available[d] or (key, d) in handed:
            continue
        wanted = max(rules.min_daily, missing - added)
        length = max((n for n in all_lengths if n <= min(wanted, room - added)), default=None)
        if length is not None and length >= rules.min_daily:
            handed[key, d] = (0, 0, length)
            added += length
    return added


def _overlap(a: ShiftPattern, b: ShiftPattern) -> int:
    return len(set(a.working_intervals()) & set(b.working_intervals()))


def _lengthen(pattern: ShiftPattern, length: int, candidates: list[ShiftPattern]) -> ShiftPattern:
    """The shift of ``length`` paid half-hours that keeps most of ``pattern``'s working time
    (all of it when one contains it), moving the start least."""
    if not candidates:
        return pattern
    return max(
        candidates,
        key=lambda p: (
            _overlap(p, pattern),
            p.lunch_start == pattern.lunch_start,
            -abs(p.start - pattern.start),
        ),
    )


def _most_needed(candidates: list[ShiftPattern], deficit: list[int]) -> ShiftPattern:
    return max(candidates, key=lambda p: sum(deficit[t] > 0 for t in p.working_intervals()))


def hand_out(
    requirement: Requirement,
    rules: ShiftRules,
    people: dict[int | str, AdvisorInput],
    handed: Handed,
    day_patterns: dict[tuple[str, int], list[ShiftPattern]],
    forms: dict[tuple[int, int], int],
) -> list[AdvisorShift]:
    """Concrete shifts: each group's planned patterns of a day go to its advisors by length
    (lengthened if asked); extra shifts go where the phones are least covered; forms
    half-hours go to advisors of both skills; forms-only advisors get the standard pattern."""
    all_patterns = shift_patterns(rules)
    by_length = defaultdict(list)
    for pattern in all_patterns:
        by_length[pattern.work].append(pattern)
    result = []
    for d, day in enumerate(requirement.days):
        deficit = list(requirement.phone[d])
        working = sorted((key for key, day_index in handed if day_index == d), key=str)
        placed: dict = {}
        for group in PATTERN_GROUPS:
            pool = defaultdict(list)
            for pattern in day_patterns.get((group, d), []):
                pool[pattern.work].append(pattern)
            members = [key for key in working if people[key].group == group]
            members.sort(key=lambda key: not handed[key, d][0])  # planned shifts first
            for key in members:
                planned, longer, added = handed[key, d]
                if planned:
                    pattern = (
                        pool[planned].pop()
                        if pool[planned]
                        else _most_needed(by_length[planned], deficit)
                    )
                    if longer:
                        pattern = _lengthen(pattern, planned + longer, by_length[planned + longer])
                else:
                    pattern = _most_needed(by_length[added], deficit)
                placed[key] = pattern
                for t in pattern.working_intervals():
                    deficit[t] -= 1
        for group in PATTERN_GROUPS:
            given = {key: p for key, p in placed.items() if people[key].group == group}
            counts = [
                forms.get((d, t), 0) if group == "both" else 0 for t in range(rules.intervals)
            ]
            activities = assign_forms(given, counts)
            result += [AdvisorShift(key, day, p, activities[key]) for key, p in given.items()]
        for key in working:
            if people[key].group == "forms":
                planned, longer, added = handed[key, d]
                pattern = standard_pattern(all_patterns, (planned + longer) or added, rules)
                activities = "".join(
                    LUNCH if pattern.is_lunch(t) else FORMS if pattern.works_at(t) else OFF
                    for t in range(rules.intervals)
                )
                result.append(AdvisorShift(key, day, pattern, activities))
    return result
