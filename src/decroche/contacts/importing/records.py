"""Row converters: one documented-format row (a dict of cells) → the values of one record.

Pure module: the context carries what needs the database (sites, reasons, adapters),
so that converting a million rows costs dictionary look-ups, not queries. Advisors are
resolved later, per batch, by the runner (`advisor_login` is returned for that).
Column formats and the reasoning behind each rule: docs/formats.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from decroche.core.tabular.identifiers import mask_identifiers

from .convert import (
    Clock,
    RowRejected,
    check_seconds,
    national_number,
    ordered_instants,
    paris_day_pieces,
    parse_bool,
    parse_choice,
    parse_seconds,
    parse_text,
    seconds_between,
)

CALL_OUTCOMES = frozenset(
    {
        "answered",
        "abandoned",
        "dissuaded_telecom",
        "dissuaded_closure",
        "overflowed_out",
        "taken_back",
        "ended_in_ivr",
    }
)
# Outcomes of calls the group never had: a closure calendar plays before any queue.
NOT_PUT_THROUGH = frozenset({"dissuaded_closure", "ended_in_ivr"})
CALL_ORIGINS = frozenset({"direct", "transfer_in", "overflow_in"})
WIDENINGS = frozenset({"", "on_this_group", "on_other_group"})
CALL_FLAGS = (
    "transferred_n1plus",
    "n2_ticket",
    "on_closure_calendar",
    "during_exceptional_closure",
    "technical_incident",
)
_ON_CLOSURE_CALENDAR = CALL_FLAGS.index("on_closure_calendar")
STATES = frozenset({"available", "talking", "wrap_up", "pause", "training", "internal", "forms"})

# Documented columns per kind (docs/formats.md): required ones first.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "calls": ("source_system", "source_id", "arrived_at", "outcome"),
    "forms": ("source_system", "source_id", "received_at"),
    "agent-states": ("advisor", "state", "started_at", "ended_at"),
}
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "calls": (
        "queue",
        "queued_at",
        "answered_at",
        "ended_at",
        "wrap_up_ended_at",
        "wrap_up_seconds",
        "origin",
        "widening",
        "transferred_n1plus",
        "n2_ticket",
        "on_closure_calendar",
        "during_exceptional_closure",
        "technical_incident",
        "caller",
        "advisor",
        "site",
        "reason",
    ),
    "forms": (
        "answered_at",
        "handling_seconds",
        "template_reply",
        "topic",
        "advisor",
        "site",
        "reason",
    ),
    "agent-states": ("source_system",),
}
INSTANT_COLUMNS = frozenset(
    {
        "arrived_at",
        "queued_at",
        "answered_at",
        "ended_at",
        "wrap_up_ended_at",
        "received_at",
        "started_at",
    }
)

# Database columns written per model, in the order converters return values.
# `advisor_id` is always last: the runner fills it once the batch's logins are resolved.
DB_COLUMNS: dict[str, tuple[str, ...]] = {
    "call": (
        "source_system",
        "source_id",
        "import_batch_id",
        "queue",
        "arrived_at",
        "day",
        "half_hour",
        "queued_at",
        "answered_at",
        "ended_at",
        "wrap_up_ended_at",
        "wait_seconds",
        "talk_seconds",
        "wrap_up_seconds",
        "origin",
        "outcome",
        "widening",
        "transferred_n1plus",
        "n2_ticket",
        "on_closure_calendar",
        "during_exceptional_closure",
        "technical_incident",
        "caller_hash",
        "site_id",
        "reason_id",
        "advisor_id",
    ),
    "form": (
        "source_system",
        "source_id",
        "import_batch_id",
        "received_at",
        "answered_at",
        "received_day",
        "answered_day",
        "handling_seconds",
        "template_reply",
        "topic",
        "site_id",
        "reason_id",
        "advisor_id",
    ),
    "state": (
        "source_system",
        "import_batch_id",
        "state",
        "started_at",
        "day",
        "ended_at",
        "duration_seconds",
        "advisor_id",
    ),
}
MODEL_OF_KIND = {"calls": "call", "forms": "form", "agent-states": "state"}


@dataclass
class Context:
    """What converters need besides the row; built once per import."""

    batch_id: int
    sites: dict[str, int]  # lower-cased site code → id
    reasons: dict[str, int]  # lower-cased reason code and label → id
    adapt_instant: Callable[[dt.datetime | None], Any]  # naive UTC → database value
    adapt_day: Callable[[dt.date | None], Any]
    hash_caller: Callable[[str], str]  # national digits → keyed hash
    clock: Clock = field(default_factory=Clock)
    tolerance_seconds: int = 2
    default_source_system: str = "file"
    advisor_site: str = ""  # site code given to advisors created on the fly (opt-in)
    # NIRs, phone numbers and e-mail addresses masked in free text (issue 17.13).
    masked_identifiers: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Converted:
    """One record ready to insert, except its advisor id (the last column of each row).

    `more` holds the further rows of the same record: the day pieces of an advisor state
    that crosses midnight, stored and counted with it."""

    model: str
    values: list[Any]
    advisor_login: str
    day: dt.date | None  # local day, for advisors created on the fly (joined_on)
    more: list[list[Any]] = field(default_factory=list)

    def rows(self) -> list[list[Any]]:
        return [self.values, *self.more]


def _site(row: dict, ctx: Context) -> int | None:
    code = (row.get("site") or "").strip()
    if not code:
        return None
    site_id = ctx.sites.get(code.lower())
    if site_id is None:
        raise RowRejected("site", f"unknown site {code!r} (no site with this code)")
    return site_id


def _reason(row: dict, ctx: Context) -> int | None:
    text = (row.get("reason") or "").strip()
    if not text:
        return None
    reason_id = ctx.reasons.get(text.lower())
    if reason_id is None:
        raise RowRejected(
            "reason", f"unknown reason {text!r} (neither a reason code nor a reason label)"
        )
    return reason_id


def _free_text(field_name: str, value: str | None, ctx: Context, *, max_length: int = 120) -> str:
    """A free-text field with its NIRs, phone numbers and e-mail addresses masked (issue
    17.13): the length is checked on the source text, the masks are counted in `ctx`."""
    text, masks = mask_identifiers(parse_text(field_name, value, max_length=max_length))
    ctx.masked_identifiers += masks
    return text


def _check_outside_group(
    outcome: str, queued, origin: str, widening: str, *, on_closure_calendar: bool
) -> None:
    """Combinations that cannot happen for a call the group never had (docs/formats.md).

    `ended_in_ivr`: the caller hung up in the voice server, before any queue (SPEC §3: not
    a call received by the group), so it was never queued, came in directly (transfers and
    overflows arrive in a queue) and was not handled in widening. A call presented on a
    closure calendar hears the closure message and is not put through: its outcome is
    `dissuaded_closure` (or `ended_in_ivr` if the caller hung up during the message).
    """
    if on_closure_calendar and outcome not in NOT_PUT_THROUGH:
        raise RowRejected(
            "on_closure_calendar",
            "a call presented on a closure calendar is not put through to the group: "
            f"its outcome is dissuaded_closure or ended_in_ivr, not {outcome!r}",
        )
    if outcome != "ended_in_ivr":
        return
    if queued is not None:
        raise RowRejected("queued_at", "given for a call that ended in the IVR (never queued)")
    if origin != "direct":
        raise RowRejected(
            "origin",
            f"{origin!r} for a call that ended in the IVR: transfers and overflows arrive "
            "in a queue, not in the IVR",
        )
    if widening:
        raise RowRejected("widening", "given for a call that ended in the IVR (never handled)")


def convert_call(row: dict, ctx: Context) -> Converted:
    """A call row → Call values; durations derived from the instants (docs/formats.md).

    Written for speed (a million rows per run): common values take inline fast paths,
    unusual ones go through the `convert` functions that explain what is wrong.
    """
    get = row.get
    instant = ctx.clock.instant
    source_system = parse_text(
        "source_system",
        get("source_system") or ctx.default_source_system,
        max_length=32,
        required=True,
    )
    source_id = parse_text("source_id", get("source_id"), max_length=64, required=True)
    outcome = get("outcome")
    if outcome not in CALL_OUTCOMES:
        outcome = parse_choice("outcome", outcome, CALL_OUTCOMES)
    arrived, queued, answered, ended, wrap_up_ended = ordered_instants(
        [
            ("arrived_at", instant("arrived_at", get("arrived_at"), required=True)),
            ("queued_at", instant("queued_at", get("queued_at"))),
            ("answered_at", instant("answered_at", get("answered_at"))),
            ("ended_at", instant("ended_at", get("ended_at"))),
            ("wrap_up_ended_at", instant("wrap_up_ended_at", get("wrap_up_ended_at"))),
        ],
        ctx.tolerance_seconds,
    )
    if outcome == "answered" and answered is None:
        raise RowRejected("answered_at", "missing for an answered call")
    if outcome != "answered" and answered is not None:
        raise RowRejected("answered_at", f"given for a call whose outcome is {outcome!r}")
    # Plausible ranges (docs/formats.md): no wait, talk or wrap-up is longer than a day.
    wait = (
        check_seconds("queued_at", seconds_between(queued, answered or ended), what="wait")
        if queued
        else 0
    )
    talk = (
        check_seconds("ended_at", seconds_between(answered, ended), what="talk time")
        if answered
        else 0
    )
    if wrap_up_ended is not None:
        wrap_up = check_seconds(
            "wrap_up_ended_at", seconds_between(ended, wrap_up_ended), what="wrap-up"
        )
    else:
        wrap_up = parse_seconds("wrap_up_seconds", get("wrap_up_seconds")) or 0
    day, half_hour = ctx.clock.paris_day_and_half_hour(arrived)
    adapt = ctx.adapt_instant
    origin = get("origin") or "direct"
    if origin not in CALL_ORIGINS:
        origin = parse_choice("origin", origin, CALL_ORIGINS)
    widening = get("widening") or ""
    if widening not in WIDENINGS:
        widening = parse_choice("widening", widening, WIDENINGS)
    flags = [parse_bool(name, value) if (value := get(name)) else False for name in CALL_FLAGS]
    on_calendar = flags[_ON_CLOSURE_CALENDAR]
    if on_calendar or outcome == "ended_in_ivr":
        _check_outside_group(outcome, queued, origin, widening, on_closure_calendar=on_calendar)
    caller = get("caller")
    values = [
        source_system,
        source_id,
        ctx.batch_id,
        parse_text("queue", get("queue"), max_length=64),
        adapt(arrived),
        ctx.adapt_day(day),
        half_hour,
        adapt(queued) if queued else None,
        adapt(answered) if answered else None,
        adapt(ended) if ended else None,
        adapt(wrap_up_ended) if wrap_up_ended else None,
        wait,
        talk,
        wrap_up,
        origin,
        outcome,
        widening,
        *flags,
        ctx.hash_caller(national_number(caller)) if caller else "",
        _site(row, ctx),
        _reason(row, ctx),
        None,
    ]
    return Converted("call", values, (get("advisor") or "").strip(), day)


def convert_form(row: dict, ctx: Context) -> Converted:
    """A contact-form row → ContactForm values."""
    received, answered = ordered_instants(
        [
            (
                "received_at",
                ctx.clock.instant("received_at", row.get("received_at"), required=True),
            ),
            ("answered_at", ctx.clock.instant("answered_at", row.get("answered_at"))),
        ],
        ctx.tolerance_seconds,
    )
    received_day = ctx.clock.paris_day_and_half_hour(received)[0]
    values = [
        parse_text(
            "source_system",
            row.get("source_system") or ctx.default_source_system,
            max_length=32,
            required=True,
        ),
        parse_text("source_id", row.get("source_id"), max_length=64, required=True),
        ctx.batch_id,
        ctx.adapt_instant(received),
        ctx.adapt_instant(answered),
        ctx.adapt_day(received_day),
        ctx.adapt_day(ctx.clock.paris_day_and_half_hour(answered)[0] if answered else None),
        parse_seconds("handling_seconds", row.get("handling_seconds")) or 0,
        _free_text("template_reply", row.get("template_reply"), ctx),
        _free_text("topic", row.get("topic"), ctx),
        _site(row, ctx),
        _reason(row, ctx),
        None,
    ]
    return Converted("form", values, (row.get("advisor") or "").strip(), received_day)


def convert_state(row: dict, ctx: Context) -> Converted:
    """An advisor-state row → AdvisorState values, one row per Paris day the state covers
    (a state crossing midnight counts on each day for its part of it); the durations of the
    pieces add up to end − start exactly, in whole seconds."""
    login = parse_text("advisor", row.get("advisor"), max_length=64, required=True)
    state = parse_choice("state", row.get("state"), STATES)
    started, ended = ordered_instants(
        [
            ("started_at", ctx.clock.instant("started_at", row.get("started_at"), required=True)),
            ("ended_at", ctx.clock.instant("ended_at", row.get("ended_at"), required=True)),
        ],
        ctx.tolerance_seconds,
    )
    source_system = parse_text(
        "source_system",
        row.get("source_system") or ctx.default_source_system,
        max_length=32,
        required=True,
    )
    assert started is not None and ended is not None  # both required above
    check_seconds("ended_at", seconds_between(started, ended), what="state duration")
    pieces = paris_day_pieces(started, ended)  # a state crossing midnight: one per day
    rows = [
        [
            source_system,
            ctx.batch_id,
            state,
            ctx.adapt_instant(piece_start),
            ctx.adapt_day(ctx.clock.paris_day_and_half_hour(piece_start)[0]),
            ctx.adapt_instant(piece_end),
            # Seconds since the start, truncated, piece by piece: they add up to the whole.
            seconds_between(started, piece_end) - seconds_between(started, piece_start),
            None,
        ]
        for piece_start, piece_end in pieces
    ]
    day = ctx.clock.paris_day_and_half_hour(started)[0]
    return Converted("state", rows[0], login, day, more=rows[1:])


CONVERTERS: dict[str, Callable[[dict, Context], Converted]] = {
    "calls": convert_call,
    "forms": convert_form,
    "agent-states": convert_state,
}
