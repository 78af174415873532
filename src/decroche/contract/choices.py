"""Choices of the contract app (SPEC §5, §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkUnit(models.TextChoices):
    """The four work units of the financial annex (seed 002 §7.2: UO1/UO3 in hours, UO2/UO4 in acts)."""

    PHONE_HOURS = "UO1", _("UO1 – phone productive hours")
    PHONE_ACTS = "UO2", _("UO2 – phone acts (calls handled)")
    FORM_HOURS = "UO3", _("UO3 – contact-form productive hours")
    FORM_ACTS = "UO4", _("UO4 – contact-form acts (forms answered)")


HOUR_UNITS = (WorkUnit.PHONE_HOURS, WorkUnit.FORM_HOURS)
ACT_UNITS = (WorkUnit.PHONE_ACTS, WorkUnit.FORM_ACTS)


class OrderKind(models.TextChoices):
    FIRM = "firm", _("Firm (period starting D+10)")
    INDICATIVE = "indicative", _("Indicative (D+20, D+30)")


class OrderStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the contractor's validation")
    VALIDATED = "validated", _("Validated by the contractor")
    DEEMED_VALID = "deemed_valid", _("Deemed valid (no answer within 3 working days)")
    REFUSED = "refused", _("Refused by the contractor")


STANDING_ORDER_STATUSES = (OrderStatus.PROPOSED, OrderStatus.VALIDATED, OrderStatus.DEEMED_VALID)


class Activity(models.TextChoices):
    PHONE = "phone", _("Phone")
    FORMS = "forms", _("Contact forms")
    ALL = "all", _("Phone and contact forms")


class InvoiceBase(models.TextChoices):
    """Which monthly invoice a penalty rate applies to (SPEC §5)."""

    PHONE = "phone", _("Phone production invoice")
    TOTAL = "total", _("Total production invoice (phone + forms)")


class LevelSource(models.TextChoices):
    PLAN_CONFORMITY = "plan_conformity", _("Plan conformity (orders and productive hours)")
    INDICATOR = "indicator", _("Indicator of the catalogue")


class Breach(models.TextChoices):
    """When the measured value triggers the penalty, compared with the threshold."""

    BELOW = "<", _("Below the threshold")
    ABOVE = ">", _("Above the threshold")


class ProposalStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting the contractor's answer")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_BY_SILENCE = "accepted_by_silence", _("Accepted by silence")
    REFUSED = "refused", _("Refused")


class InterruptionCause(models.TextChoices):
    POWER = "power", _("Power failure")
    FIRE = "fire", _("Fire")
    NETWORK = "network", _("Network or VPN failure")
    TELEPHONY = "telephony", _("Telephony platform failure")
    STRIKE = "strike", _("Strike")
    OTHER = "other", _("Other")


class CommitteeKind(models.TextChoices):
    """The committees of SPEC §6."""

    WEEKLY = "weekly", _("Weekly production committee")
    MONTHLY = "monthly", _("Monthly steering committee")
    FORECAST = "forecast", _("Ten-day forecast committee")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
