from django.db import models
from django.utils.translation import gettext_lazy as _


class CallOrigin(models.TextChoices):
    """How the call reached the group; feeds the denominators of SPEC §3 (answer rate, wait)."""

    DIRECT = "direct", _("Entrant direct")
    TRANSFER_IN = "transfer_in", _("Transfert entrant")
    OVERFLOW_IN = "overflow_in", _("Débordement entrant")


class CallOutcome(models.TextChoices):
    """What became of the call; each non-answered outcome is a correction term of SPEC §3."""

    ANSWERED = "answered", _("Décroché")
    ABANDONED = "abandoned", _("Abandonné")
    DISSUADED_TELECOM = "dissuaded_telecom", _("Dissuadé sur problème télécom")
    DISSUADED_CLOSURE = "dissuaded_closure", _("Dissuadé sur fermeture")
    OVERFLOWED_OUT = "overflowed_out", _("Débordé sortant")
    TAKEN_BACK = "taken_back", _("Repris pendant transfert")


class Widening(models.TextChoices):
    """Calls handled in widening ("élargissement") between groups (SPEC §3 answer rate)."""

    NONE = "", _("Aucun")
    ON_THIS_GROUP = "on_this_group", _("Traité en élargissement sur ce groupe")
    ON_OTHER_GROUP = "on_other_group", _("Traité en élargissement sur un autre groupe")


class AdvisorStateKind(models.TextChoices):
    """Advisor states (SPEC §3 availability rate; SPEC §5 productive hours)."""

    AVAILABLE = "available", _("Disponible")
    TALKING = "talking", _("En communication")
    WRAP_UP = "wrap_up", _("Post-appel")
    PAUSE = "pause", _("Pause")
    TRAINING = "training", _("Formation")
    INTERNAL = "internal", _("Autre activité interne")
    FORMS = "forms", _("Traitement formulaires")


class VisitKind(models.TextChoices):
    WALK_IN = "walk_in", _("Sans rendez-vous")
    APPOINTMENT = "appointment", _("Sur rendez-vous")


class ImportKind(models.TextChoices):
    CALLS = "calls", _("Appels")
    FORMS = "forms", _("Formulaires")
    AGENT_STATES = "agent-states", _("États conseillers")
    QUEUE_LOG = "queue-log", _("Journal Asterisk queue_log")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("En cours")
    COMPLETED = "completed", _("Terminé")
    FAILED = "failed", _("Échoué")
    INTERRUPTED = "interrupted", _("Interrompu")
