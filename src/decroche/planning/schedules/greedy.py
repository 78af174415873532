"""A greedy scheduler: the benchmark's baseline and the optimiser's starting hint. Pure module.

Day by day, it adds the shift that covers the most uncovered phone half-hours per paid
half-hour, given to the phone-only advisor (else the advisor of both skills) with the most
weekly room left; then forms: advisors of both skills take forms where the phones are
over-covered, then forms-only advisors, then free advisors of both skills, get shifts until
the day's forms hours are met. Finally advisors below their weekly (or period) minimum get
extra or longer shifts where they help most. It follows every rule of ``ShiftRules`` except
the two soft levers.
"""

from __future__ import annotations

import time

from .costs import build_result, weekly_bounds
from .types import (
    FORMS,
    LUNCH,
    OFF,
    PHONE,
    AdvisorInput,
    AdvisorShift,
    Requirement,
    ScheduleResult,
    ShiftPattern,
    ShiftRules,
    shift_patterns,
    standard_pattern,
)


def _activities(pattern: ShiftPattern, work: str, intervals: int) -> list[str]:
    return [
        LUNCH if pattern.is_lunch(t) else work if pattern.works_at(t) else OFF
        for t in range(intervals)
    ]


class _Greedy:
    def __init__(self, requirement: Requirement, advisors: list[AdvisorInput], rules: ShiftRules):
        import numpy as np

        self.requirement, self.rules = requirement, rules
        self.patterns = shift_patterns(rules)
        self.works = np.array(
            [[p.works_at(t) for t in range(rules.intervals)] for p in self.patterns], dtype=np.int64
        )
        self.work = self.works.sum(axis=1)
        self.people = [a for a in advisors if a.group != "none"]
        days = requirement.days
        self.bounds = {a.key: weekly_bounds(a, days, rules) for a in self.people}
        self.week_of = {
            (key, d): week
            for key, bounds in self.bounds.items()
            for week in bounds.weeks
            for d in week[1]
        }
        self.lengths = sorted({p.work for p in self.patterns})
        self.deficit = np.array(requirement.phone, dtype=np.int64).reshape(len(days), -1)
        self.chosen: dict[tuple, tuple[ShiftPattern, list[str]]] = {}

    def used(self, key, days) -> int:
        return sum(self.chosen[key, d][0].work for d in days if (key, d) in self.chosen)

    def room(self, advisor: AdvisorInput, d: int, replacing: int = 0) -> int:
        """Half-hours the advisor may still work on day d (0 when absent)."""
        if not advisor.available[d]:
            return 0
        _label, indices, _low, high = self.week_of[advisor.key, d]
        bounds = self.bounds[advisor.key]
        total = self.used(advisor.key, range(len(self.requirement.days)))
        left = min(high - self.used(advisor.key, indices), bounds.period_max - total) + replacing
        return min(left, self.rules.max_daily)

    def place(self, advisor: AdvisorInput, d: int, pattern: ShiftPattern, work: str) -> None:
        if (advisor.key, d) in self.chosen:
            old, acts = self.chosen[advisor.key, d]
            self.deficit[d] += [a == PHONE for a in acts]
        acts = _activities(pattern, work, self.rules.intervals)
        self.deficit[d] -= [a == PHONE for a in acts]
        self.chosen[advisor.key, d] = (pattern, acts)

    def best_pattern(self, d: int, room: int, length: int | None = None) -> int | None:
        """Index of the pattern covering the most uncovered half-hours per paid half-hour."""
        import numpy as np

        gain = self.works @ (self.deficit[d] > 0)
        allowed = (self.work <= room) & (self.work >= self.rules.min_daily)
        if length is not None:
            allowed &= self.work == length
        score = np.where(allowed, gain / self.work + 1e-6 * gain, -1.0)
        best = int(np.argmax(score))
        return best if score[best] > 0 or (length is not None and allowed[best]) else None

    def fit(self, length: int) -> int | None:
        """The longest paid length some pattern has, at most ``length``."""
        return max((n for n in self.lengths if n <= length), default=None)

    def free(self, d: int, groups: tuple[str, ...]) -> list[AdvisorInput]:
        return [
            a
            for a in self.people
            if a.group in groups and a.available[d] and (a.key, d) not in self.chosen
        ]

    def cover_phones(self, d: int) -> None:
        while True:
            candidates = [
                (a.group != "phone", -self.room(a, d), str(a.key), a)
                for a in self.free(d, ("phone", "both"))
            ]
            candidates = [c for c in candidates if -c[1] >= self.rules.min_daily]
            if not candidates:
                return
            room = max(-c[1] for c in candidates)
            k = self.best_pattern(d, room)
            if k is None:
                return
            work = self.work[k]
            advisor = min(c for c in candidates if -c[1] >= work)[-1]
            self.place(advisor, d, self.patterns[k], PHONE)

    def cover_forms(self, d: int) -> None:
        need = self.requirement.forms_half_hours[d]
        for t in range(self.rules.intervals):  # spare phone time of advisors of both skills
            for key, day in list(self.chosen):
                if need <= 0 or self.deficit[d, t] >= 0:
                    break
                acts = self.chosen[key, day][1]
                if day == d and acts[t] == PHONE and self._group(key) == "both":
                    acts[t] = FORMS
                    self.deficit[d, t] += 1
                    need -= 1
        for advisor in self.free(d, ("forms",)) + self.free(d, ("both",)):
            if need <= 0:
                return
            room = self.room(advisor, d)
            if room < self.rules.min_daily:
                continue
            length = self.fit(max(self.rules.min_daily, min(need, room)))
            if length is None:
                continue
            pattern = standard_pattern(self.patterns, length, self.rules)
            self.place(advisor, d, pattern, FORMS)
            need -= length

    def _group(self, key) -> str:
        return next(a.group for a in self.people if a.key == key)

    def top_up(self, advisor: AdvisorInput, days, target: int) -> None:
        """Add or lengthen shifts until the advisor works ``target`` half-hours on ``days``."""
        import numpy as np

        work = FORMS if advisor.group == "forms" else PHONE
        while (missing := target - self.used(advisor.key, days)) > 0:
            free = [d for d in days if advisor.available[d] and (advisor.key, d) not in self.chosen]
            free = [d for d in free if self.room(advisor, d) >= self.rules.min_daily]
            if free:
                d = max(free, key=lambda d: (int(np.maximum(self.deficit[d], 0).sum()), -d))
                length = self.fit(max(self.rules.min_daily, min(missing, self.room(advisor, d))))
                if length is None:
                    return
            else:
                worked = [
                    d
                    for d in days
                    if (advisor.key, d) in self.chosen
                    and self.chosen[advisor.key, d][0].work
                    < self.room(advisor, d, self.chosen[advisor.key, d][0].work)
                ]
                if not worked:
                    return
                d = min(worked, key=lambda d: self.chosen[advisor.key, d][0].work)
                current = self.chosen[advisor.key, d][0].work
                length = self.fit(min(current + missing, self.room(advisor, d, current)))
                if length is None or length <= current:
                    return
                work = FORMS if FORMS in self.chosen[advisor.key, d][1] else work
            if work == FORMS:
                pattern = standard_pattern(self.patterns, length, self.rules)
            else:
                if (advisor.key, d) in self.chosen:  # judge the gain without the old shift
                    self.place(advisor, d, self.chosen[advisor.key, d][0], OFF)
                pattern = self.patterns[self.best_pattern(d, length, length)]
            self.place(advisor, d, pattern, work)

    def run(self) -> list[AdvisorShift]:
        days = range(len(self.requirement.days))
        for d in days:
            self.cover_phones(d)
            self.cover_forms(d)
        for advisor in self.people:
            bounds = self.bounds[advisor.key]
            for _label, indices, low, _high in bounds.weeks:
                self.top_up(advisor, indices, low)
            self.top_up(advisor, days, bounds.period_min)
        return [
            AdvisorShift(key, self.requirement.days[d], pattern, "".join(acts))
            for (key, d), (pattern, acts) in self.chosen.items()
        ]


def greedy_shifts(
    requirement: Requirement, advisors: list[AdvisorInput], rules: ShiftRules
) -> list[AdvisorShift]:
    return _Greedy(requirement, advisors, rules).run()


def greedy_schedule(
    requirement: Requirement, advisors: list[AdvisorInput], rules: ShiftRules | None = None
) -> ScheduleResult:
    """The greedy schedule (module docstring), with its coverage and paid hours."""
    rules = rules or ShiftRules()
    started = time.perf_counter()
    shifts = greedy_shifts(requirement, advisors, rules)
    return build_result(
        requirement,
        advisors,
        rules,
        shifts,
        status="feasible",
        method="greedy",
        seconds=time.perf_counter() - started,
    )
