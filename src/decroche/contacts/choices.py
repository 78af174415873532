from django.db import models
from django.utils.translation import gettext_lazy as _


class CallOrigin(models.TextChoices):
    """How the call reached the group; feeds the denominators of SPEC §3 (answer rate, wait)."""

    DIRECT = "direct", _("Direct inbound")
    TRANSFER_IN = "transfer_in", _("Inbound transfer")
    OVERFLOW_IN = "overflow_in", _("Inbound overflow")


class CallOutcome(models.TextChoices):
    """What became of the call; each non-answered outcome is a correction term of SPEC §3,
    but `ended_in_ivr`: a call that ended in the voice server (IVR) before it was ever
    presented to the group is not a call received by the group (docs/indicators.md,
    "Calls received"); it counts only in the accessibility rate (calls presented at the IVR).
    """

    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Abandoned")
    DISSUADED_TELECOM = "dissuaded_telecom", _("Dissuaded on telecom problem")
    DISSUADED_CLOSURE = "dissuaded_closure", _("Dissuaded on closure")
    OVERFLOWED_OUT = "overflowed_out", _("Overflowed out")
    TAKEN_BACK = "taken_back", _("Taken back during transfer")
    ENDED_IN_IVR = "ended_in_ivr", _("Ended in the IVR, never presented to the group")


class Widening(models.TextChoices):
    """Calls handled in widening ("élargissement") between groups (SPEC §3 answer rate)."""

    NONE = "", _("None")
    ON_THIS_GROUP = "on_this_group", _("Handled in widening on this group")
    ON_OTHER_GROUP = "on_other_group", _("Handled in widening on another group")


class AdvisorStateKind(models.TextChoices):
    """Advisor states (SPEC §3 availability rate; SPEC §5 productive hours)."""

    AVAILABLE = "available", _("Available")
    TALKING = "talking", _("Talking")
    WRAP_UP = "wrap_up", _("Wrap-up")
    PAUSE = "pause", _("Pause")
    TRAINING = "training", _("Training")
    INTERNAL = "internal", _("Other internal activity")
    FORMS = "forms", _("Handling contact forms")


class VisitKind(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    APPOINTMENT = "appointment", _("By appointment")


class ImportKind(models.TextChoices):
    CALLS = "calls", _("Calls")
    FORMS = "forms", _("Contact forms")
    AGENT_STATES = "agent-states", _("Advisor states")
    QUEUE_LOG = "queue-log", _("Asterisk queue_log")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")
