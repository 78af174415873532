"""What indicator formulas may count and add up: the contact sources, their fields, the
grains results are split by and the sources that are stocks.

A plain module (no Django) so that formulas are checked and computed anywhere; the Django
shell (`bindings.py`) maps each source to a table and a date field. The sources in
`PENDING_SOURCES` have their tables in apps above indicators (quality, training): formulas
on them parse, the app binds them at start-up (`bindings.source_binding_register`), and
they measure as "no data" while unbound.
"""

from __future__ import annotations

from .formula import Source

_CONTACT_KEYS = {"site": "text", "reason": "text", "advisor": "text", "team": "text"}

SOURCES: dict[str, Source] = {
    "calls": Source(
        "calls",
        {
            **_CONTACT_KEYS,
            "queue": "text",
            "origin": "text",
            "outcome": "text",
            "widening": "text",
            "wait_seconds": "number",
            "talk_seconds": "number",
            "wrap_up_seconds": "number",
            "transferred_n1plus": "bool",
            "n2_ticket": "bool",
            "on_closure_calendar": "bool",
            "during_exceptional_closure": "bool",
            "technical_incident": "bool",
            "caller_hash": "text",
            "days_to_repeat": "number",
        },
    ),
    "forms": Source(
        "forms",
        {
            **_CONTACT_KEYS,
            "topic": "text",
            "template_reply": "text",
            "handling_seconds": "number",
            # the day the form was answered, empty while it is open: the response rate
            # counts the forms of the period that have been answered (SPEC §3)
            "answered_day": "date",
        },
    ),
    "answered_forms": Source(
        "answered_forms",
        {**_CONTACT_KEYS, "topic": "text", "template_reply": "text", "handling_seconds": "number"},
    ),
    "open_forms": Source("open_forms", {**_CONTACT_KEYS, "topic": "text"}),
    "agent_states": Source(
        "agent_states",
        {
            "site": "text",
            "advisor": "text",
            "team": "text",
            "state": "text",
            "duration_seconds": "number",
        },
    ),
    "surveys": Source(
        "surveys",
        {
            **_CONTACT_KEYS,
            "channel": "text",
            "csat": "number",
            "resolved": "bool",
            "ces": "number",
            "nps": "number",
        },
    ),
    "visits": Source("visits", {**_CONTACT_KEYS, "kind": "text"}),
    "emails": Source("emails", dict(_CONTACT_KEYS)),
    "chats": Source("chats", dict(_CONTACT_KEYS)),
    # Later domains (quality and training issues).
    "calibrations": Source(
        "calibrations", {**_CONTACT_KEYS, "score": "number", "evaluator": "text"}
    ),
    "ticket_evaluations": Source("ticket_evaluations", {**_CONTACT_KEYS, "score": "number"}),
    "form_evaluations": Source(
        "form_evaluations", {**_CONTACT_KEYS, "score": "number", "evaluator": "text"}
    ),
    # The quality plan's commitments (SPEC §7): every current evaluation of an advisor's
    # contacts (calls, replies, tickets; calibration scores stay out), every feedback or
    # coaching session, and one row per advisor per month with the committed numbers.
    "quality_evaluations": Source(
        "quality_evaluations", {**_CONTACT_KEYS, "score": "number", "object": "text"}
    ),
    "feedback_sessions": Source(
        "feedback_sessions", {"site": "text", "team": "text", "advisor": "text", "kind": "text"}
    ),
    "advisor_commitments": Source(
        "advisor_commitments",
        {
            "site": "text",
            "team": "text",
            "advisor": "text",
            "evaluations": "number",
            "feedback": "number",
        },
    ),
    "operational_advisors": Source(
        "operational_advisors",
        {"site": "text", "advisor": "text", "team": "text", "initially_trained": "bool"},
    ),
}

PENDING_SOURCES = frozenset(
    {
        "calibrations",
        "ticket_evaluations",
        "form_evaluations",
        "quality_evaluations",
        "feedback_sessions",
        "advisor_commitments",
        "operational_advisors",
    }
)

# The keys results can be split by (SPEC §3); each binding says which of them it has.
GRAINS = ("site", "team", "reason", "advisor", "channel")

# A stock (the forms backlog) is measured at each bucket's last day, not over the bucket;
# its binding names the field that closes a record (`SourceBinding.stock_open_field`).
STOCK_SOURCES = frozenset({"open_forms"})
