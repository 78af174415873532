"""How each formula source maps onto the contact tables (SPEC §3): the Django side of
`sources.py`, which names the same sources, grains and stocks for the pure engine.

Every source is dated by a *local day* column: the Europe/Paris calendar day of the
event, stored next to its timestamp when the record is written. Periods and buckets
(day, week, month, quarter) are then plain date comparisons, identical on SQLite and
PostgreSQL, with no time-zone arithmetic in queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, Q

from decroche.contacts.models import (
    AdvisorState,
    Call,
    Chat,
    ContactForm,
    Email,
    FrontDeskVisit,
    SurveyResponse,
)

from .formula import BoolOp, Comparison, Condition, Not
from .sources import PENDING_SOURCES


@dataclass(frozen=True)
class SourceBinding:
    """A formula source bound to a model: its day column, fields and grain paths."""

    model: type[Model]
    day_field: str
    channel: str | None
    fields: dict[str, str]
    grains: dict[str, str]
    base: Q = field(default_factory=Q)
    # A stock is measured at the end of each bucket instead of over it (backlog).
    stock_open_field: str | None = None
    # Rows that no table holds (one per advisor per month: the quality commitments), which
    # a later app computes itself: `rows(measures, start, end, grouped)` returns tuples
    # (day, *values of the `grouped` columns of `model`, *measure values), the shape of
    # `queries.tables.grouped_rows` on the day and `grouped`, folded like a table's.
    rows: Callable | None = None


_CONTACT_GRAINS = {
    "site": "site__code",
    "team": "advisor__team__code",
    "reason": "reason__code",
    "advisor": "advisor__login",
}
_CONTACT_FIELDS = {
    "site": "site__code",
    "team": "advisor__team__code",
    "reason": "reason__code",
    "advisor": "advisor__login",
}


def _form_binding(
    day_field: str, base: Q | None = None, stock_open_field: str | None = None
) -> SourceBinding:
    return SourceBinding(
        model=ContactForm,
        day_field=day_field,
        channel="form",
        fields={
            **_CONTACT_FIELDS,
            "topic": "topic",
            "template_reply": "template_reply",
            "handling_seconds": "handling_seconds",
            "answered_day": "answered_day",
        },
        grains=_CONTACT_GRAINS,
        base=base if base is not None else Q(),
        stock_open_field=stock_open_field,
    )


BINDINGS: dict[str, SourceBinding] = {
    "calls": SourceBinding(
        model=Call,
        day_field="day",
        channel="phone",
        fields={
            **_CONTACT_FIELDS,
            **{
                name: name
                for name in (
                    "queue",
                    "origin",
                    "outcome",
                    "widening",
                    "wait_seconds",
                    "talk_seconds",
                    "wrap_up_seconds",
                    "transferred_n1plus",
                    "n2_ticket",
                    "on_closure_calendar",
                    "during_exceptional_closure",
                    "technical_incident",
                    "caller_hash",
                    "days_to_repeat",
                )
            },
        },
        grains=_CONTACT_GRAINS,
    ),
    "forms": _form_binding("received_day"),
    "answered_forms": _form_binding("answered_day", base=Q(answered_day__isnull=False)),
    "open_forms": _form_binding("received_day", stock_open_field="answered_day"),
    "agent_states": SourceBinding(
        model=AdvisorState,
        day_field="day",
        channel=None,
        fields={
            "site": "advisor__site__code",
            "team": "advisor__team__code",
            "advisor": "advisor__login",
            "state": "state",
            "duration_seconds": "duration_seconds",
        },
        grains={
            "site": "advisor__site__code",
            "team": "advisor__team__code",
            "advisor": "advisor__login",
        },
    ),
    "surveys": SourceBinding(
        model=SurveyResponse,
        day_field="day",
        channel=None,
        fields={
            **_CONTACT_FIELDS,
            **{name: name for name in ("channel", "csat", "resolved", "ces", "nps")},
        },
        grains={**_CONTACT_GRAINS, "channel": "channel"},
    ),
    "visits": SourceBinding(
        model=FrontDeskVisit,
        day_field="day",
        channel="front_desk",
        fields={**_CONTACT_FIELDS, "kind": "kind"},
        grains=_CONTACT_GRAINS,
    ),
    "emails": SourceBinding(
        model=Email,
        day_field="day",
        channel="email",
        fields=dict(_CONTACT_FIELDS),
        grains=_CONTACT_GRAINS,
    ),
    "chats": SourceBinding(
        model=Chat,
        day_field="day",
        channel="chat",
        fields=dict(_CONTACT_FIELDS),
        grains=_CONTACT_GRAINS,
    ),
}


# Sources whose tables live in apps above indicators (quality, training), bound at start-up
# by those apps; read from their tables only (the daily summary and the Parquet export hold
# the contact sources of `BINDINGS`).
LATER_BINDINGS: dict[str, SourceBinding] = {}


def row_matches(condition: Condition | None, row: dict) -> bool:
    """A formula condition on one row that an app computes (`SourceBinding.rows`: the
    quality commitments, the operational advisors), its fields by name."""
    if condition is None:
        return True
    if isinstance(condition, BoolOp):
        results = (row_matches(operand, row) for operand in condition.operands)
        return all(results) if condition.op == "and" else any(results)
    if isinstance(condition, Not):
        return not row_matches(condition.operand, row)
    assert isinstance(condition, Comparison)
    value = row[condition.field]
    if condition.op in ("is null", "is not null"):
        return (value is None) == (condition.op == "is null")
    if condition.op == "in":
        return value in condition.value  # type: ignore[operator]
    if condition.op in ("=", "!="):
        return (value == condition.value) == (condition.op == "=")
    if value is None:
        return False
    other = condition.value
    return {
        "<": value < other,
        "<=": value <= other,
        ">": value > other,
        ">=": value >= other,
    }[condition.op]


def source_binding_register(source: str, binding: SourceBinding) -> None:
    """Bind a source whose table belongs to an app above indicators: the app registers it
    in its `AppConfig.ready()`, so indicators never imports it. Unbound, the source
    measures as "no data" (`sources.PENDING_SOURCES`)."""
    if source not in PENDING_SOURCES:
        raise ValueError(
            f"{source!r} is not a source left to a later app: {sorted(PENDING_SOURCES)}"
        )
    if LATER_BINDINGS.get(source, binding) != binding:
        raise ValueError(f"source {source!r} is already bound")
    LATER_BINDINGS[source] = binding


def binding_of(source: str) -> SourceBinding | None:
    """The source's binding: a contact table, a later app's table, or None while unbound."""
    return BINDINGS.get(source) or LATER_BINDINGS.get(source)
