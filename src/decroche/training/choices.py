"""Choices of the training app (SPEC §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeFormat(models.TextChoices):
    INTRA = "intra", _("Intra (at the client's premises)")
    INTER = "inter", _("Inter-company")


class Delivery(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")


class PriceBasis(models.TextChoices):
    PER_PERSON = "person", _("Per person")
    PER_SESSION = "session", _("Per session")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    VALIDATED = "validated", _("Validated")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled by the client")
    CANCELLED_BY_BODY = "cancelled_body", _("Cancelled by the training body")


class HalfDay(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    EXCUSED = "excused", _("Excused absence")
    ABSENT = "absent", _("Absent")


class SignatureMethod(models.TextChoices):
    CLICK = "click", _("Click from the trainee's own page")
    TRAINER = "trainer", _("Entered by the trainer")
    PAPER = "paper", _("Paper sign-in sheet")
    CODE = "code", _("Code shown in the room")


class TestKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class Respondent(models.TextChoices):
    TRAINEE = "trainee", _("The trainee")
    MANAGER = "manager", _("Their manager")


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INCIDENT = "incident", _("Incident")
    HAZARD = "hazard", _("Hazard during a session")
