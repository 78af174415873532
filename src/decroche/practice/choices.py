"""Enumerations of the practice app (issue 15)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceFormat(models.TextChoices):
    JSON = "json", _("Scenario JSON")
    TWEE = "twee", _("Twee 3 (Twine)")
    INK = "ink", _("ink (compiled JSON)")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    FRONT_DESK = "front_desk", _("Front desk")
    WRITTEN = "written", _("Written (e-mail, chat)")


class Ending(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    MANAGER = "manager", _("Handed to a manager")
    PROCEDURE = "procedure", _("Ended by the procedure")
    SAFETY = "safety", _("Routed to the safety procedure")


class ReviewStatus(models.TextChoices):
    NONE = "", _("Not finished")
    PENDING = "pending", _("Awaiting review")
    CONFIRMED = "confirmed", _("Scores confirmed")
    CHANGED = "changed", _("Scores changed")


CRITERION_LABELS = {
    "assertive_communication": _("Assertive communication"),
    "active_listening": _("Active listening"),
    "empathy": _("Empathy"),
    "safe_frame": _("Keeping a safe frame"),
    "distanced_engagement": _("Distanced engagement"),
    "mediation": _("First-level mediation"),
    "public_recognition": _("Recognising the public"),
    "written_quality": _("Written reply: length, structure, tone"),
}
EMOTIONAL_STATE_LABELS = {
    "aggressive": _("Aggressive"),
    "distressed": _("Distressed"),
    "passive_aggressive": _("Passive-aggressive"),
    "confused": _("Confused"),
    "psychological_distress": _("In psychological distress"),
}
FAULT_LABELS = {
    "insult": _("Insult"),
    "confidentiality_breach": _("Breach of confidentiality"),
    "forbidden_promise": _("Promise the rules forbid"),
}
