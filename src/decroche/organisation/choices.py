from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelCode(models.TextChoices):
    """The channels of SPEC §1: phone, contact form, and the CPAM's front desk, e-mail, chat."""

    PHONE = "phone", _("Phone")
    FORM = "form", _("Contact form")
    FRONT_DESK = "front_desk", _("Front desk")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")


class AdvisorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ABSENT = "absent", _("Absent")
    LEFT = "left", _("Left")


class ContactFamily(models.TextChoices):
    """The six contact families of SPEC §1 (002 §2.1)."""

    INFORMATION = "information", _("General information")
    ACTIVATION = "activation", _("Help with online activation")
    OPPOSITION = "opposition", _("Opposition to creation")
    CLOSURE = "closure", _("Closure request")
    USAGE = "usage", _("Help using the platform")
    INCIDENT = "incident", _("Incident reported to N2")
    OTHER = "other", _("Out of scope")
