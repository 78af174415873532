"""Database rows from the generated arrays, column by column (numpy, then lists).

Times become what the driver expects (UTC text for SQLite, aware datetimes otherwise);
the Paris local-day columns of contacts are filled here rather than row by row by the
bulk writer; callers' numbers are stored only as their keyed hash (SPEC §9).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connections

from decroche.contacts.models import Chat, Email, FrontDeskVisit

from . import profiles, shifts, traffic
from .channels import FORM_TOPICS

SOURCE_SYSTEM = "generator"
_UTC = dt.UTC


@dataclass
class Reference:
    """Database ids in the order the pure modules index them."""

    site_ids: list[int]
    advisor_ids: list[int]
    reason_ids: list[int]


def _local_offsets(epochs: np.ndarray) -> np.ndarray:
    """Paris UTC offset (seconds) of each instant; offsets are whole hours, so one
    time-zone conversion per distinct UTC hour is enough."""
    hours, position = np.unique(np.maximum(epochs, 0) // 3600, return_inverse=True)
    offsets = [
        dt.datetime.fromtimestamp(hour * 3600, traffic.PARIS).utcoffset().total_seconds()
        for hour in hours.tolist()
    ]
    return np.asarray(offsets, dtype=np.int64)[position.reshape(-1)]


def _as_text(values: np.ndarray, absent: np.ndarray) -> list:
    listed = values.astype(object)
    listed[absent] = None
    return listed.tolist()


class Formatter:
    """Whole arrays of epoch seconds (-1 = absent) to what the database driver expects:
    UTC text in Django's format for SQLite, aware datetimes and dates for PostgreSQL."""

    def __init__(self, using: str) -> None:
        self.sqlite = connections[using].vendor == "sqlite"

    def instants(self, epochs: np.ndarray) -> list:
        if not self.sqlite:
            return [
                None if value < 0 else dt.datetime.fromtimestamp(value, _UTC)
                for value in epochs.tolist()
            ]
        text = np.datetime_as_string(np.maximum(epochs, 0).astype("datetime64[s]"), unit="s")
        characters = text.astype("<U19").view(np.uint32).reshape(-1, 19)
        characters[:, 10] = ord(" ")  # "2026-03-02T07:31:05" -> "2026-03-02 07:31:05"
        return _as_text(characters.reshape(-1).view("<U19"), epochs < 0)

    def local_days(self, epochs: np.ndarray) -> list:
        """Paris calendar day of each instant (the `day` columns of contacts)."""
        local = (epochs + _local_offsets(epochs)).astype("datetime64[s]").astype("datetime64[D]")
        if not self.sqlite:
            return [
                None if value < 0 else day
                for value, day in zip(epochs.tolist(), local.tolist(), strict=True)
            ]
        return _as_text(np.datetime_as_string(local), epochs < 0)

    @staticmethod
    def half_hours(epochs: np.ndarray) -> list[int]:
        """Paris half-hour of each instant, 0-47."""
        return (((epochs + _local_offsets(epochs)) % 86400) // 1800).tolist()


def _lookup(ids: list[int], indexes: np.ndarray) -> list:
    """Database ids for indexes into `ids`; -1 becomes None."""
    table = np.array([*ids, None], dtype=object)
    return table[np.where(indexes < 0, len(ids), indexes)].tolist()


def caller_hashes(numbers: np.ndarray) -> list[str]:
    """Same HMAC-SHA256 as `core.pseudonymise` on the number's digits (SPEC §9)."""
    key = settings.PSEUDONYMISATION_KEY.encode()
    return [
        hmac.digest(key, f"0{number}".encode(), hashlib.sha256).hex() for number in numbers.tolist()
    ]


def _ids(prefix: str, day: dt.date, count: int) -> list[str]:
    base = f"{prefix}-{day:%Y%m%d}-"
    return [f"{base}{position:05d}" for position in range(count)]


def _labels(names: tuple[str, ...], indexes: np.ndarray) -> list[str]:
    return np.array(names, dtype=object)[indexes].tolist()


CALL_COLUMNS = (
    "source_system",
    "source_id",
    "queue",
    "arrived_at",
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
    "advisor_id",
    "site_id",
    "reason_id",
    "day",
    "half_hour",
)


def call_rows(
    calls: traffic.CallArrays, day: dt.date, prefix: str, ref: Reference, times
) -> list[tuple]:
    answered = calls.outcome == traffic.ANSWERED
    entered_queue = np.isin(
        calls.outcome, [traffic.ANSWERED, traffic.ABANDONED, traffic.OVERFLOWED, traffic.TAKEN_BACK]
    )
    talk_end = np.where(answered, calls.answered + calls.talk, calls.arrived + calls.wait)
    count = len(calls)
    columns = (
        [SOURCE_SYSTEM] * count,
        _ids(prefix, day, count),
        [profiles.QUEUE_NAME] * count,
        times.instants(calls.arrived),
        times.instants(np.where(entered_queue, calls.arrived, -1)),
        times.instants(calls.answered),
        times.instants(talk_end),
        times.instants(np.where(answered, talk_end + calls.wrap_up, -1)),
        calls.wait.tolist(),
        calls.talk.tolist(),
        calls.wrap_up.tolist(),
        _labels(traffic.ORIGINS, calls.origin),
        _labels(traffic.OUTCOMES, calls.outcome),
        _labels(traffic.WIDENINGS, calls.widening),
        calls.transferred_n1plus.tolist(),
        calls.n2_ticket.tolist(),
        calls.on_closure_calendar.tolist(),
        calls.during_exceptional_closure.tolist(),
        calls.technical_incident.tolist(),
        caller_hashes(calls.caller),
        _lookup(ref.advisor_ids, calls.advisor),
        _lookup(ref.site_ids, calls.site),
        _lookup(ref.reason_ids, calls.reason),
        times.local_days(calls.arrived),
        times.half_hours(calls.arrived),
    )
    return list(zip(*columns, strict=True))


FORM_COLUMNS = (
    "source_system",
    "source_id",
    "received_at",
    "answered_at",
    "handling_seconds",
    "template_reply",
    "topic",
    "advisor_id",
    "site_id",
    "reason_id",
    "received_day",
    "answered_day",
)
STATE_COLUMNS = (
    "advisor_id",
    "state",
    "started_at",
    "ended_at",
    "duration_seconds",
    "source_system",
    "day",
)


def form_rows(forms, prefix: str, ref: Reference, times, site_of_advisor: list[int]) -> list[tuple]:
    count = len(forms)
    site = [None if a < 0 else ref.site_ids[site_of_advisor[a]] for a in forms.advisor.tolist()]
    columns = (
        [SOURCE_SYSTEM] * count,
        [
            f"{prefix}-F{day}-{position:04d}"
            for day, position in zip(
                forms.received_day.tolist(), forms.position.tolist(), strict=True
            )
        ],
        times.instants(forms.received),
        times.instants(forms.answered),
        forms.handling.tolist(),
        ["" if t < 0 else profiles.TEMPLATE_REPLIES[t] for t in forms.template.tolist()],
        [FORM_TOPICS[t] for t in forms.topic.tolist()],
        _lookup(ref.advisor_ids, forms.advisor),
        site,
        _lookup(ref.reason_ids, forms.reason_code),
        times.local_days(forms.received),
        times.local_days(forms.answered),
    )
    return list(zip(*columns, strict=True))


def state_rows(states, ref: Reference, times) -> list[tuple]:
    count = len(states)
    columns = (
        _lookup(ref.advisor_ids, states.advisor),
        _labels(shifts.STATES, states.state),
        times.instants(states.started),
        times.instants(states.started + states.duration),
        states.duration.tolist(),
        [SOURCE_SYSTEM] * count,
        times.local_days(states.started),
    )
    return list(zip(*columns, strict=True))


def cpam_rows(traffic_day, prefix: str, ref: Reference, times) -> dict:
    """Visits, e-mails and chats of the CPAM site."""
    site = ref.site_ids[traffic.SITES.index(profiles.CPAM_SITE[0])]
    rows = {}
    for model, letter, data, time_fields in (
        (FrontDeskVisit, "V", traffic_day.visits, ("arrived", "served", "ended")),
        (Email, "E", traffic_day.emails, ("received", "answered")),
        (Chat, "C", traffic_day.chats, ("started", "answered", "ended")),
    ):
        if not data:
            continue
        count = len(data["reason"])
        columns = [[SOURCE_SYSTEM] * count, _ids(f"{prefix}-{letter}", traffic_day.day, count)]
        columns += [times.instants(data[name]) for name in time_fields]
        columns += [
            _lookup(ref.advisor_ids, data["advisor"]),
            [site] * count,
            _lookup(ref.reason_ids, data["reason"]),
        ]
        columns.append(times.local_days(data[time_fields[0]]))
        names = [
            "source_system",
            "source_id",
            *(f"{name}_at" for name in time_fields),
            "advisor_id",
            "site_id",
            "reason_id",
            "day",
        ]
        if model is FrontDeskVisit:
            columns.append(
                ["appointment" if flag else "walk_in" for flag in data["appointment"].tolist()]
            )
            names.append("kind")
        rows[model] = (tuple(names), list(zip(*columns, strict=True)))
    return rows
