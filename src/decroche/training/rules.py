"""The training rules as plain functions, no Django import (STYLE habit 2; SPEC §8).

- the one-month planning deadline of a requested session (000 Prestation 1);
- the hours a half-day's presence is worth, rolled up into the certificate's duration;
- what "completed the initial training path before going operational" means (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from decimal import Decimal

from decroche.core.calendar import add_months, add_working_days, is_working_day

FULL_HOURS = ("present",)
PARTIAL_HOURS = ("late", "left_early")  # the half-day minus the minutes missed


def planning_deadline(requested_on: dt.date) -> dt.date:
    """A requested session is planned "within 1 month of request" (SPEC §8, seed 000): the
    same day one calendar month later (31 January → 28 February), carried to the next
    working day when that day is a weekend or a French public holiday."""
    deadline = add_months(requested_on, 1)
    return deadline if is_working_day(deadline) else add_working_days(deadline, 1)


def half_day_hours(presence: str, hours: Decimal, minutes_missed: int) -> Decimal:
    """Hours a trainee attended on one half-day: all of it when present, the half-day less
    the minutes missed when late or leaving early, nothing when absent (excused or not)."""
    if presence in FULL_HOURS:
        return hours
    if presence in PARTIAL_HOURS:
        attended = hours - Decimal(minutes_missed) / Decimal(60)
        return max(Decimal("0"), attended).quantize(Decimal("0.01"))
    return Decimal("0")


def module_completed_on(
    attended: Iterable[tuple[dt.date, Decimal]], duration_hours: Decimal
) -> dt.date | None:
    """The day a module of the path was completed: the half-day on which the hours attended
    (in day order) reach the programme's duration; None while they fall short."""
    total = Decimal("0")
    for day, hours in sorted(attended):
        total += hours
        if total >= duration_hours:
            return day
    return None


def initially_trained(
    completed_on: Mapping[int, dt.date | None],
    required_modules: Iterable[int],
    operational_on: dt.date,
) -> bool:
    """SPEC §3 "initially trained advisors": every required module of the initial path
    (optional tools aside, 002 §5.2) completed on or before the day the advisor went
    operational. An empty path trains nobody: the indicator then says so."""
    required = list(required_modules)
    if not required:
        return False
    return all(
        (day := completed_on.get(module)) is not None and day <= operational_on
        for module in required
    )


def share(right: int, asked: int) -> float | None:
    return right / asked if asked else None


def test_gain(pre: tuple[int, int], post: tuple[int, int]) -> float | None:
    """The learning gain (issue 13 point 5): the share of right answers after the session
    less the share before, on the same question bank; (right, asked) for each test. None
    unless both tests were taken."""
    before, after = share(*pre), share(*post)
    if before is None or after is None:
        return None
    return after - before


CENT = Decimal("0.01")


def session_money(
    *,
    price: Decimal,
    per_person: bool,
    funded_share: Decimal,
    trainees_by_employer: Mapping[str, int],
) -> tuple[Decimal, Decimal, dict[str, Decimal]]:
    """What a session costs, the funded part and what each employing body is invoiced
    (SPEC §8, seed 001: "70% funded for some audiences, others invoiced to their body").

    Per person: the price times the trainees; per session: the price once. The funded part
    is `funded_share` of the cost; the rest is shared between the employers in proportion
    to their trainees, in cents, the last cents going to the largest remainders so that the
    invoices add up to the rest exactly."""
    trainees = sum(trainees_by_employer.values())
    cost = (price * trainees if per_person else price) if trainees else Decimal("0")
    funded = (cost * funded_share).quantize(CENT)
    rest = cost - funded
    if not trainees:
        return cost, funded, {}
    cents = int((rest / CENT).to_integral_value())
    exact = {e: Decimal(cents) * n / trainees for e, n in trainees_by_employer.items()}
    shares = {e: int(value) for e, value in exact.items()}
    left = cents - sum(shares.values())
    for employer in sorted(exact, key=lambda e: (-(exact[e] - shares[e]), e))[:left]:
        shares[employer] += 1
    return cost, funded, {e: Decimal(c) * CENT for e, c in sorted(shares.items())}


TRANSFER_AFTER_MONTHS = 3  # "transfer evaluation three months later" (issue 13 point 5)


def transfer_due_on(last_day: dt.date, feedback_day: dt.date | None = None) -> dt.date:
    """The transfer evaluation is due on the programme's feedback day (RETEX, a later part
    of the session: seed 001's third day "at 3 months") when it has one, else three
    calendar months after the last day of the session's main part."""
    return feedback_day or add_months(last_day, TRANSFER_AFTER_MONTHS)


ROOM_CODE_SECONDS = 300  # the code shown in the room changes every five minutes


def room_code(secret: bytes, half_day_id: int, instant: float) -> str:
    """The 6-digit code the trainer shows in the room for one half-day (issue 13 point 3):
    an HMAC of the half-day and the current five-minute slot, so it cannot be guessed nor
    reused the next day."""
    slot = int(instant // ROOM_CODE_SECONDS)
    digest = hmac.new(secret, f"{half_day_id}:{slot}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def room_code_matches(secret: bytes, half_day_id: int, instant: float, code: str) -> bool:
    """The code of the current slot or of the one before (a trainee who reads it at the
    end of a slot still signs)."""
    return any(
        hmac.compare_digest(room_code(secret, half_day_id, instant - back), code.strip())
        for back in (0, ROOM_CODE_SECONDS)
    )
