"""Choices of the planning app (SPEC §1 events, §2 volumes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import forecast, proposal


class ForecastChannel(models.TextChoices):
    CALLS = forecast.CALLS.code, _("Calls")
    FORMS = forecast.FORMS.code, _("Contact forms")


class EventKind(models.TextChoices):
    """Events that move volumes (SPEC §1: notification waves, media campaign, IVR deterrence)."""

    CAMPAIGN = forecast.CAMPAIGN, _("Media campaign")
    NOTIFICATION = forecast.NOTIFICATION, _("Notification wave")
    DETERRENCE = forecast.DETERRENCE, _("IVR deterrence message")


class ScenarioCode(models.TextChoices):
    """What-if scenarios of the order proposal (SPEC §1, §6)."""

    BASELINE = proposal.BASELINE, _("Baseline")
    CAMPAIGN = proposal.CAMPAIGN, _("Media campaign +40%")
    DETERRENCE = proposal.DETERRENCE, _("Deterrence message −20 points")
    AHT_PLUS = proposal.AHT_PLUS, _("Handling time +10%")
    AHT_MINUS = proposal.AHT_MINUS, _("Handling time −10%")
    ABSENTEEISM = proposal.ABSENTEEISM_CODE, _("Absenteeism 10%")
