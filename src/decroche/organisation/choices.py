from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelCode(models.TextChoices):
    """The channels of SPEC §1: phone, contact form, and the CPAM's front desk, e-mail, chat."""

    PHONE = "phone", _("Téléphone")
    FORM = "form", _("Formulaire de contact")
    FRONT_DESK = "front_desk", _("Accueil physique")
    EMAIL = "email", _("Courriel")
    CHAT = "chat", _("Tchat")


class AdvisorStatus(models.TextChoices):
    ACTIVE = "active", _("En poste")
    ABSENT = "absent", _("Absent")
    LEFT = "left", _("Parti")


class ContactFamily(models.TextChoices):
    """The six contact families of SPEC §1 (002 §2.1)."""

    INFORMATION = "information", _("Information générale")
    ACTIVATION = "activation", _("Aide à l'activation en ligne")
    OPPOSITION = "opposition", _("Opposition à la création")
    CLOSURE = "closure", _("Demande de clôture")
    USAGE = "usage", _("Aide à l'utilisation de la plateforme")
    INCIDENT = "incident", _("Déclaration d'incident au N2")
    OTHER = "other", _("Hors périmètre")
