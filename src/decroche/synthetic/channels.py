"""Forms backlog, advisor-state arrays and the CPAM's lighter channels (SPEC §1, §3).

Plain module, no Django import. Times are epoch seconds (UTC), -1 when absent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from . import profiles as p
from . import roster

FORM_TOPICS = tuple(topic for topic, _, _ in p.FORM_TOPICS)
_FORM_HOURLY = np.array(
    [1, 1, 0.5, 0.5, 0.5, 1, 2, 4, 7, 9, 9, 8, 7, 7, 8, 8, 7, 6, 5, 5, 5, 4, 3, 2], float
)


@dataclass
class FormArrays:
    received: np.ndarray
    answered: np.ndarray
    handling: np.ndarray
    template: np.ndarray
    topic: np.ndarray
    reason_code: np.ndarray  # index into profiles.REASON_MIX
    advisor: np.ndarray
    received_day: np.ndarray  # yyyymmdd, part of the natural key
    position: np.ndarray

    def __len__(self) -> int:
        return len(self.received)

    def take(self, selector) -> FormArrays:
        return FormArrays(**{f.name: getattr(self, f.name)[selector] for f in fields(self)})


def concat_forms(*parts: FormArrays | None) -> FormArrays | None:
    present = [part for part in parts if part is not None and len(part)]
    if not present:
        return None
    return FormArrays(
        **{
            f.name: np.concatenate([getattr(x, f.name) for x in present])
            for f in fields(FormArrays)
        }
    )


@dataclass
class StateArrays:
    advisor: np.ndarray
    state: np.ndarray  # index into shifts.STATES
    started: np.ndarray
    duration: np.ndarray

    def __len__(self) -> int:
        return len(self.advisor)

    @classmethod
    def from_spans(
        cls, opening: int, spans: tuple[list[int], list[int], list[int], list[int]]
    ) -> StateArrays:
        advisor, state, start, length = (np.asarray(values, dtype=np.int64) for values in spans)
        return cls(advisor, state, opening + start, length)


class FormBacklog:
    """Forms received every day, answered first-in first-out by the day's forms advisors.

    A form received before 08:30 can be answered that day; later ones wait for the next
    working day. Each forms advisor answers about 90 forms in a full day (SPEC §1)."""

    def __init__(self) -> None:
        self.pending: FormArrays | None = None

    def receive(self, day, opening: int, expected: float, rng: np.random.Generator) -> None:
        count = int(rng.poisson(expected))
        midnight = opening - 8 * 3600 - 1800
        hours = rng.choice(24, count, p=_FORM_HOURLY / _FORM_HOURLY.sum())
        received = np.sort(midnight + hours * 3600 + rng.integers(0, 3600, count))
        shares = np.array([share for _, share, _ in p.FORM_TOPICS])
        topic = rng.choice(len(shares), count, p=shares / shares.sum())
        reason_codes = [code for code, *_ in p.REASON_MIX]
        topic_reason = np.array([reason_codes.index(reason) for _, _, reason in p.FORM_TOPICS])
        new = FormArrays(
            received=received,
            answered=np.full(count, -1, np.int64),
            handling=np.zeros(count, np.int64),
            template=np.full(count, -1, np.int64),
            topic=topic,
            reason_code=topic_reason[topic],
            advisor=np.full(count, -1, np.int64),
            received_day=np.full(count, day.year * 10000 + day.month * 100 + day.day, np.int64),
            position=np.arange(count, dtype=np.int64),
        )
        self.pending = concat_forms(self.pending, new)

    def waiting_before(self, moment: int) -> int:
        return 0 if self.pending is None else int((self.pending.received < moment).sum())

    def handle(
        self, advisor_days, opening: int, team: list[roster.RosterAdvisor], rng
    ) -> FormArrays | None:
        """Forms answered today, in order, by each forms advisor in their forms windows."""
        if self.pending is None or not advisor_days:
            return None
        eligible = int((self.pending.received < opening).sum())
        done = 0
        for plan in advisor_days:
            windows = plan.windows("forms")
            capacity = round(p.FORMS_PER_ADVISOR_DAY * rng.lognormal(0, p.FORMS_PRODUCTIVITY_SIGMA))
            batch = min(capacity, eligible - done)
            if batch <= 0:
                break
            total = sum(end - start for start, end in windows)
            jitter = rng.lognormal(0, 0.3, batch)
            handling = np.maximum((jitter / jitter.mean() * total / capacity).astype(np.int64), 30)
            finished = np.cumsum(handling)
            offsets = _place_in_windows(finished, windows)
            chosen = slice(done, done + batch)
            self.pending.answered[chosen] = opening + offsets
            self.pending.handling[chosen] = handling
            self.pending.template[chosen] = rng.integers(0, len(p.TEMPLATE_REPLIES), batch)
            self.pending.advisor[chosen] = plan.advisor
            done += batch
        answered = self.pending.take(slice(0, done))
        self.pending = self.pending.take(slice(done, None))
        return answered

    def flush(self) -> FormArrays | None:
        remaining, self.pending = self.pending, None
        return remaining


def _place_in_windows(worked: np.ndarray, windows: list[tuple[int, int]]) -> np.ndarray:
    """Clock offset reached after `worked` seconds of work spread over the windows."""
    starts = np.array([start for start, _ in windows])
    lengths = np.array([end - start for start, end in windows])
    before = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    index = np.clip(np.searchsorted(np.cumsum(lengths), worked, side="left"), 0, len(windows) - 1)
    return starts[index] + worked - before[index]


def cpam_contacts(
    traffic, opening: int, scale: float, rng, team: list[roster.RosterAdvisor]
) -> None:
    """Front-desk visits, e-mails and chats of the CPAM site (SPEC §1, 000 §2), lighter volumes."""
    staff = np.array(
        [
            i
            for i, person in enumerate(team)
            if person.site_code == p.CPAM_SITE[0] and person.works_on(traffic.day)
        ]
    )
    if not len(staff):
        return
    reasons = np.array([share for _, share, _, _ in p.REASON_MIX])
    reasons = reasons / reasons.sum()

    def pick(count: int) -> tuple[np.ndarray, np.ndarray]:
        return rng.choice(staff, count), rng.choice(len(reasons), count, p=reasons)

    count = int(rng.poisson(p.CPAM_VISITS_PER_DAY * scale))
    arrived = opening + np.sort(rng.integers(0, 8 * 3600, count))
    served = arrived + rng.exponential(720, count).astype(np.int64)
    left_unserved = rng.random(count) < 0.02
    ended = served + rng.lognormal(math.log(900), 0.5, count).astype(np.int64)
    advisor, reason = pick(count)
    traffic.visits = {
        "arrived": arrived,
        "served": np.where(left_unserved, -1, served),
        "ended": np.where(left_unserved, -1, ended),
        "appointment": rng.random(count) < 0.3,
        "advisor": np.where(left_unserved, -1, advisor),
        "reason": reason,
    }
    count = int(rng.poisson(p.CPAM_EMAILS_PER_DAY * scale))
    received = opening - 8 * 3600 - 1800 + np.sort(rng.integers(0, 24 * 3600, count))
    unanswered = rng.random(count) < 0.03
    advisor, reason = pick(count)
    traffic.emails = {
        "received": received,
        "answered": np.where(
            unanswered, -1, received + rng.exponential(20 * 3600, count).astype(np.int64)
        ),
        "advisor": np.where(unanswered, -1, advisor),
        "reason": reason,
    }
    count = int(rng.poisson(p.CPAM_CHATS_PER_DAY * scale))
    started = opening + np.sort(rng.integers(0, 9 * 3600, count))
    missed = rng.random(count) < 0.08
    answered = started + rng.exponential(40, count).astype(np.int64)
    advisor, reason = pick(count)
    traffic.chats = {
        "started": started,
        "answered": np.where(missed, -1, answered),
        "ended": np.where(
            missed,
            started + 60,
            answered + rng.lognormal(math.log(480), 0.5, count).astype(np.int64),
        ),
        "advisor": np.where(missed, -1, advisor),
        "reason": reason,
    }
