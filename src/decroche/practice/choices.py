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
# Techniques named by the shipped scenarios and the free-text rules; a scenario may name
# others, shown as written.
TECHNIQUE_LABELS = {
    "naming_emotion": _("Naming the emotion"),
    "reformulation": _("Reformulation"),
    "next_step": _("Explaining the next step"),
    "assertive_frame": _("Setting the frame assertively"),
    "safe_frame": _("Keeping a safe frame"),
    "pragmatic_solution": _("Pragmatic solution"),
    "acknowledge_error": _("Acknowledging one's own error"),
    "acknowledge": _("Acknowledging the grievance"),
    "explain_cause": _("Explaining the cause"),
    "reassurance": _("Reassurance"),
    "handover": _("Handing over to a manager"),
    "procedure": _("Applying the incivility procedure"),
    "procedure_only": _("Quoting the procedure only"),
    "safety_procedure": _("Safety procedure"),
    "jargon": _("Jargon"),
    "justification": _("Self-justification"),
    "counter_attack": _("Counter-attack"),
    "injunction": _("Injunction (\u201ccalm down\u201d)"),
    "minimising": _("Minimising"),
    "ignoring_signal": _("Ignoring a warning sign"),
    "dismissal": _("Dismissal"),
    "blame": _("Blaming the caller"),
    "false_promise": _("Forbidden promise"),
    "disclosure": _("Disclosing personal data"),
    "insult": _("Insult"),
    "written_length": _("Length of the reply"),
    "greeting": _("Greeting"),
    "closing": _("Closing formula"),
    "model_reply": _("Close to a model reply"),
}


class EvidenceKind(models.TextChoices):
    INTERACTION = "interaction", _("Observed interaction")
    ROLE_PLAY = "role_play", _("Role-play run")
    QUALITY = "quality", _("Quality evaluation")
    FILE = "file", _("File")


class AssessmentStatus(models.TextChoices):
    GRADING = "grading", _("Evaluators grading blind")
    RECONCILING = "reconciling", _("Reconciliation")
    ESCALATED = "escalated", _("Escalated to a third evaluator or the jury")
    SIGNED = "signed", _("Co-signed and frozen")


class Reconciliation(models.TextChoices):
    AGREED = "agreed", _("Agreement")
    DECIDED = "decided", _("Justified decision")
    ESCALATED = "escalated", _("Escalated to a third evaluator or the jury")
