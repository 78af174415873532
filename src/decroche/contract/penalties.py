"""Penalty arithmetic of the contract (SPEC §5, seed 002 §9). Plain Python, no Django.

Each contract rule lives in one function whose docstring quotes SPEC §5 (STYLE habit 4):
`penalty_cap` (10% cap), `penalised_days` (grace period, at most 4 months),
`commitment_holds` and `plan_conformity` (120% of the order). `settle` puts them together
into a monthly statement. Money is `Decimal`, rounded to the cent, half-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from decroche.core.calendar import add_months
from decroche.core.formatting import parse_comparison

CENT = Decimal("0.01")
PENALTY_CAP_RATE = Decimal("0.10")
COMMITMENT_LIMIT = Decimal("1.20")
MAX_GRACE_MONTHS = 4
VALUE_PLACES = Decimal("0.000001")


class Status:
    """The penalty side of a level: whether the penalty threshold was crossed and applies."""

    MET = "met"
    MISSED = "missed"
    NO_DATA = "no_data"
    GRACE = "grace_period"
    BEYOND_COMMITMENT = "beyond_commitment"


class State:
    """What a reader of the statement must see at once, objective and penalty together
    (issue 18 point 2): the objective is met; it is missed but the penalty threshold was
    not crossed; the penalty is due; the threshold was crossed but no penalty applies (grace
    period, volume beyond 120 % of the order); no data."""

    OBJECTIVE_MET = "objective_met"
    OBJECTIVE_MISSED = "objective_missed"
    PENALTY_DUE = "penalty_due"
    NO_PENALTY_GRACE = "no_penalty_grace"
    NO_PENALTY_BEYOND = "no_penalty_beyond"
    THRESHOLD_KEPT = "threshold_kept"  # no objective stated: only the threshold is known
    NO_DATA = "no_data"


# SPEC §5 "plan conformity ... expected up to 120% of ordered": the objective is to produce
# the hours ordered (100 %), hours beyond 120 % not counting (`plan_conformity`).
PLAN_CONFORMITY_OBJECTIVE = ">= 1.00"


def euros(amount: Decimal) -> Decimal:
    """Round to the cent, half-up (0.005 € → 0.01 €)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def penalty_cap(invoice_total: Decimal) -> Decimal:
    """The most the month's penalties can cost: 10% of the monthly invoice.

    SPEC §5: "penalties apply by right, cumulate, and are capped at 10% of the monthly
    invoice (beyond, the Cnam may terminate)". Seed 002 §9: "ne peut pas excéder 10% de la
    facture mensuelle des Heures Productives ou Actes" — read as the whole monthly
    production invoice (phone + forms), see docs/contract.md.
    """
    return euros(invoice_total * PENALTY_CAP_RATE)


def apply_cap(total_before_cap: Decimal, cap: Decimal) -> tuple[Decimal, bool, bool]:
    """(total due, cap reached, termination risk). The cap is reached when the cumulated
    penalties equal or exceed it; the Cnam may terminate only "beyond" it (strictly above)."""
    return min(total_before_cap, cap), total_before_cap >= cap, total_before_cap > cap


def check_grace_months(months: int) -> None:
    """SPEC §5: the grace period is "agreed between parties, at most 4 months after start"."""
    if not 0 <= months <= MAX_GRACE_MONTHS:
        raise ValueError(f"the grace period is 0 to {MAX_GRACE_MONTHS} months, not {months}")


def grace_period_end(activity_start: dt.date, grace_months: int) -> dt.date:
    """The first day on which the levels other than plan conformity are penalised."""
    check_grace_months(grace_months)
    return add_months(activity_start, grace_months)


def grace_period_applies(
    *, month_start: dt.date, activity_start: dt.date, grace_months: int, subject_to_grace: bool
) -> bool:
    """Whether a level escapes penalties for the whole month starting `month_start`: true
    when the grace period has not ended by the month's last day (`penalised_days` is None)."""
    following = add_months(month_start.replace(day=1), 1)
    return (
        penalised_days(
            month_start=month_start,
            month_end=following - dt.timedelta(days=1),
            activity_start=activity_start,
            grace_months=grace_months,
            subject_to_grace=subject_to_grace,
        )
        is None
    )


def penalised_days(
    *,
    month_start: dt.date,
    month_end: dt.date,
    activity_start: dt.date,
    grace_months: int,
    subject_to_grace: bool,
) -> tuple[dt.date, dt.date] | None:
    """The days of the month on which a level is measured and penalised, or None when the
    grace period covers the whole month.

    SPEC §5: "Plan conformity is penalised from day one; the others after a grace period
    agreed between parties, at most 4 months after start." Seed 002 §9: "les autres le seront
    au bout d'une durée à convenir ... après le démarrage de l'activité ..., sans que cette
    durée ne puisse en tout état de cause excéder 4 mois".

    The grace period runs from the activity start for N calendar months and the day
    `grace_period_end` (start + N months) is the first penalised day: start 15 Jan 2026 with
    4 months, the grace covers 15 Jan – 14 May and 15 May is penalised (counting 15 May in
    the grace would make it 4 months and a day, which the seed forbids). A month in which the
    grace period ends is measured on its remaining days only (15–31 May), so that the grace
    never lasts longer than N months; a month that begins on or after the end is measured
    whole. Levels not subject to grace (plan conformity) are always measured whole.
    """
    if not subject_to_grace:
        return month_start, month_end
    first_penalised = grace_period_end(activity_start, grace_months)
    if first_penalised > month_end:
        return None
    return max(month_start, first_penalised), month_end


def plan_conformity(produced: Decimal, ordered: Decimal) -> Decimal | None:
    """Productive hours produced / productive hours ordered, counted up to 120% of the order.

    SPEC §5: plan conformity = "productive hours produced / hours ordered", expected "up to
    120% of ordered"; seed 002 §9: "Jusqu'à 120% des heures productives commandées pour la
    période". Hours beyond 120% are outside the order's terms, so the ratio stops at 1.20.
    None when nothing was ordered (no data).
    """
    if ordered <= 0:
        return None
    return min(Decimal(produced) / Decimal(ordered), COMMITMENT_LIMIT).quantize(VALUE_PLACES)


def commitment_holds(volume: Decimal, ordered: Decimal) -> bool:
    """Whether the service-level commitments hold for a month's volume.

    SPEC §5: "Commitments apply up to 120% of the ordered volume; beyond, terms are agreed
    separately." Seed 002 §9: "Ces engagements et pénalités seront applicables jusqu'à un
    volume d'heures productives ou d'actes 20% supérieur à la commande." Exactly 120% still
    holds; nothing ordered means no order to measure against, so the commitments hold.
    """
    if ordered <= 0:
        return True
    return Decimal(volume) <= Decimal(ordered) * COMMITMENT_LIMIT


def objective_met(value: Decimal | None, objective: str) -> bool | None:
    """Whether the exact value (never its rounded display) meets the objective: `>=`, `<=`,
    `>`, `<` and `=` taken as written (SPEC §5 "expected" column). None without data or
    without an objective that can be compared."""
    parsed = parse_comparison(objective)
    if value is None or parsed is None:
        return None
    op, threshold = parsed
    value = Decimal(value)
    return {
        ">=": value >= threshold,
        "<=": value <= threshold,
        ">": value > threshold,
        "<": value < threshold,
        "=": value == threshold,
    }[op]


def level_state(status: str, met: bool | None) -> str:
    """The one state a statement line shows: the penalty side first (a penalty due is never
    hidden), then the objective side (a value that did not cross the penalty threshold but
    misses the objective is a miss, not a hit)."""
    if status == Status.NO_DATA:
        return State.NO_DATA
    if status == Status.MISSED:
        return State.PENALTY_DUE
    if status == Status.GRACE:
        return State.NO_PENALTY_GRACE
    if status == Status.BEYOND_COMMITMENT:
        return State.NO_PENALTY_BEYOND
    if met is None:
        return State.THRESHOLD_KEPT
    return State.OBJECTIVE_MET if met else State.OBJECTIVE_MISSED


def threshold_breached(value: Decimal, breach: str, threshold: Decimal) -> bool:
    """`<`: penalised strictly below the threshold; `>`: strictly above (SPEC §5 table)."""
    if breach == "<":
        return value < threshold
    if breach == ">":
        return value > threshold
    raise ValueError(f"unknown breach direction {breach!r}")


@dataclass(frozen=True)
class LevelTerms:
    """A service level as the contract states it (loaded from data, SPEC §5)."""

    code: str
    label: str
    breach: str
    threshold: Decimal
    rate: Decimal
    invoice: str  # "phone" or "total"
    activity: str  # "phone", "forms" or "all"
    subject_to_grace: bool
    unit: str = "rate"  # of the value: rate, seconds, count, score (for display)


@dataclass(frozen=True)
class LevelLine:
    level: str
    label: str
    value: Decimal | None
    target: str
    threshold: Decimal
    breach: str
    status: str
    applies: bool
    rate: Decimal
    invoice: str
    base: Decimal
    amount: Decimal
    measured_from: dt.date | None = None  # the days the value covers (`penalised_days`)
    measured_to: dt.date | None = None
    objective_met: bool | None = None  # the objective side (`objective_met`)
    unit: str = "rate"
    objective: str = ""  # the objective the value was compared with (the target by default)

    @property
    def state(self) -> str:
        return level_state(self.status, self.objective_met)


@dataclass(frozen=True)
class Settlement:
    levels: list[LevelLine]
    invoice_phone: Decimal
    invoice_forms: Decimal
    total_before_cap: Decimal
    cap: Decimal
    total: Decimal
    cap_reached: bool
    termination_risk: bool
    notes: list[str] = field(default_factory=list)


def level_line(
    terms: LevelTerms,
    *,
    value: Decimal | None,
    target: str,
    in_grace: bool,
    commitment: bool,
    invoice_phone: Decimal,
    invoice_forms: Decimal,
    measured: tuple[dt.date, dt.date] | None = None,
    objective: str | None = None,
) -> LevelLine:
    """One line of the statement: the penalty applies when the value breaches the threshold,
    outside the grace period, within the 120% commitment, and when there is data. The
    objective side compares the value with `objective` (the target when not given)."""
    base = invoice_phone + invoice_forms if terms.invoice == "total" else invoice_phone
    breached = value is not None and threshold_breached(value, terms.breach, terms.threshold)
    if value is None:
        status = Status.NO_DATA
    elif not breached:
        status = Status.MET
    elif in_grace:
        status = Status.GRACE
    elif not commitment:
        status = Status.BEYOND_COMMITMENT
    else:
        status = Status.MISSED
    applies = status == Status.MISSED
    return LevelLine(
        level=terms.code,
        label=terms.label,
        value=value,
        target=target,
        threshold=terms.threshold,
        breach=terms.breach,
        status=status,
        applies=applies,
        rate=terms.rate,
        invoice=terms.invoice,
        base=euros(base),
        amount=euros(base * terms.rate) if applies else euros(Decimal(0)),
        measured_from=measured[0] if measured else None,
        measured_to=measured[1] if measured else None,
        objective_met=objective_met(value, target if objective is None else objective),
        unit=terms.unit,
        objective=target if objective is None else objective,
    )


def settle(lines: list[LevelLine], *, invoice_phone: Decimal, invoice_forms: Decimal) -> Settlement:
    """Cumulate the penalties that apply (SPEC §5 "apply by right, cumulate") and cap them."""
    total_before_cap = sum((line.amount for line in lines), Decimal("0.00"))
    cap = penalty_cap(invoice_phone + invoice_forms)
    total, reached, termination = apply_cap(total_before_cap, cap)
    return Settlement(
        levels=lines,
        invoice_phone=euros(invoice_phone),
        invoice_forms=euros(invoice_forms),
        total_before_cap=euros(total_before_cap),
        cap=cap,
        total=euros(total),
        cap_reached=reached,
        termination_risk=termination,
    )
