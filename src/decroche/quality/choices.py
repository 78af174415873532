"""The quality vocabularies (SPEC §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluatedObject(models.TextChoices):
    """What a grid evaluates (SPEC §7: phone, written replies; SPEC §3: N2 tickets)."""

    CALL = "call", _("Call")
    FORM = "form", _("Written reply to a contact form")
    TICKET = "ticket", _("N2 escalation ticket")


class GridOwner(models.TextChoices):
    CONTRACTOR = "contractor", _("Contractor")
    CNAM = "cnam", _("Cnam")


class GridStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class CriticalScope(models.TextChoices):
    NONE = "", _("Not critical")
    SECTION = "section", _("Zeroes its section")
    EVALUATION = "evaluation", _("Zeroes the evaluation")


class EvaluationOrigin(models.TextChoices):
    SAMPLING = "sampling", _("Monthly sampling plan")
    AD_HOC = "ad_hoc", _("Ad-hoc")
    CALIBRATION = "calibration", _("Calibration")
    IMPORTED = "imported", _("Imported from another tool")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by a revision")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Score kept")
    CHANGED = "changed", _("Score changed")


class CoachingKind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback session")
    COACHING = "coaching", _("Coaching")


class CalibrationStatus(models.TextChoices):
    SCORING = "scoring", _("Blind scoring")
    REVEALED = "revealed", _("Scores revealed")
    CLOSED = "closed", _("Closed with consensus")
