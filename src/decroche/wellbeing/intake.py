"""A report from a JSON object (docs/incidents.md): intake from other tools and scripts.

Codes, not ids: the site's code, advisors' telephony logins, the contact reason's code.
Every problem is reported at once, in one `IntakeError` listing the fields.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from decroche.contacts.models import Call
from decroche.core.calendar import PARIS
from decroche.organisation.models import Advisor, ContactReason, Site

from . import services
from .choices import Place
from .models import IncidentReport

REQUIRED = ("occurred_at", "site", "channel", "facts", "types", "severity")
ALIASES = {"description": "facts", "place": "channel"}


class IntakeError(ValueError):
    pass


def _occurred_at(text) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError as error:
        raise IntakeError(f"occurred_at: expected ISO 8601, not {text!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _advisor(login: str, field: str) -> Advisor:
    advisor = Advisor.objects.filter(login=login).first()
    if advisor is None:
        raise IntakeError(f"{field}: no advisor with login {login!r}")
    return advisor


def report_from_json(data, *, user=None) -> IncidentReport:
    if not isinstance(data, dict):
        raise IntakeError("the file must hold one JSON object")
    data = {ALIASES.get(key, key): value for key, value in data.items()}
    missing = [field for field in REQUIRED if data.get(field) in (None, "", [])]
    if missing:
        raise IntakeError(f"missing fields: {', '.join(missing)}")
    site = Site.objects.filter(code=data["site"]).first()
    if site is None:
        raise IntakeError(f"site: no site with code {data['site']!r}")
    if data["channel"] not in Place.values:
        raise IntakeError(f"channel: one of {', '.join(Place.values)}, not {data['channel']!r}")
    types = data["types"] if isinstance(data["types"], list) else [data["types"]]
    try:
        severity = int(data["severity"])
    except (TypeError, ValueError) as error:
        raise IntakeError("severity: an integer from 1 to 4") from error
    reason = None
    if data.get("reason"):
        reason = ContactReason.objects.filter(code=data["reason"]).first()
        if reason is None:
            raise IntakeError(f"reason: no contact reason with code {data['reason']!r}")
    call = None
    if data.get("call_id"):
        call = Call.objects.filter(pk=data["call_id"]).first()
        if call is None:
            raise IntakeError(f"call_id: no call {data['call_id']!r}")
    victims = [
        {
            "advisor": _advisor(entry.get("login", ""), "victims"),
            "statement": entry.get("statement", ""),
            "health_note": entry.get("health_note", ""),
        }
        for entry in data.get("victims", [])
    ]
    witnesses = [
        {
            "advisor": _advisor(entry["login"], "witnesses") if entry.get("login") else None,
            "name": entry.get("name", ""),
            "statement": entry.get("statement", ""),
        }
        for entry in data.get("witnesses", [])
    ]
    try:
        return services.report_incident(
            user=user,
            occurred_at=_occurred_at(data["occurred_at"]),
            site=site,
            place=data["channel"],
            description=str(data["facts"]),
            types=types,
            severity=severity,
            victims=victims,
            witnesses=witnesses,
            reason=reason,
            trigger=data.get("trigger", ""),
            aggressiveness=data.get("aggressiveness", ""),
            contact_reference=data.get("contact_reference", ""),
            call=call,
            immediate_actions=data.get("immediate_actions", []),
            consequences=data.get("consequences", []),
            health_note=data.get("health_note", ""),
        )
    except ValidationError as error:
        details = (
            "; ".join(
                f"{field}: {' '.join(map(str, msgs))}" for field, msgs in error.message_dict.items()
            )
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
        raise IntakeError(details) from error
