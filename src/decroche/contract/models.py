"""The contract: settings, orders of productive hours, service levels, invoices, target
changes, service interruptions (SPEC §5, §6; seed 002 §7.2 and §9)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    ActionStatus,
    Activity,
    Breach,
    CommitteeKind,
    InterruptionCause,
    InvoiceBase,
    LevelSource,
    OrderKind,
    OrderStatus,
    ProposalStatus,
    WorkUnit,
)
from .penalties import MAX_GRACE_MONTHS


def default_phone_states() -> list[str]:
    return ["available", "talking", "wrap_up"]


def default_form_states() -> list[str]:
    return ["forms"]


_USER = {
    "to": settings.AUTH_USER_MODEL,
    "on_delete": models.SET_NULL,
    "null": True,
    "blank": True,
    "related_name": "+",
}


class ContractSettings(models.Model):
    """The contract's parameters; one row (the first one is used)."""

    activity_start = models.DateField(
        _("start of the activity"),
        default=dt.date(2025, 11, 9),
        help_text=_("First day of call taking: penalties run from here (seed 002 §9)."),
    )
    grace_months = models.PositiveSmallIntegerField(
        _("grace period (months)"),
        default=MAX_GRACE_MONTHS,
        validators=[MaxValueValidator(MAX_GRACE_MONTHS)],
        help_text=_(
            "Months before the levels other than plan conformity are penalised; at most 4 (SPEC §5)."
        ),
    )
    phone_productive_states = models.JSONField(
        _("productive states on the phone"),
        default=default_phone_states,
        help_text=_("Advisor states counted as phone productive hours (UO1)."),
    )
    form_productive_states = models.JSONField(
        _("productive states on contact forms"),
        default=default_form_states,
        help_text=_("Advisor states counted as contact-form productive hours (UO3)."),
    )
    interruption_limit_hours = models.PositiveSmallIntegerField(
        _("longest interruption allowed (hours)"), default=48, help_text=_("SPEC §6: 48 hours.")
    )

    class Meta:
        verbose_name = _("contract settings")
        verbose_name_plural = _("contract settings")

    def __str__(self) -> str:
        return str(_("Contract settings"))


class OrderPeriod(models.Model):
    """Ten working days ordered together (SPEC §6)."""

    start = models.DateField(_("first working day"), unique=True)
    end = models.DateField(_("tenth working day"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("ten-day period")
        verbose_name_plural = _("ten-day periods")

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


class Order(models.Model):
    """An order of productive hours or acts for one period and one work unit (SPEC §6)."""

    period = models.ForeignKey(
        OrderPeriod, on_delete=models.PROTECT, related_name="orders", verbose_name=_("period")
    )
    unit = models.CharField(_("work unit"), max_length=3, choices=WorkUnit.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=OrderKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PROPOSED
    )
    issued_on = models.DateField(_("issued on"))
    validation_deadline = models.DateField(_("validation deadline"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.CharField(_("answer note"), max_length=300, blank=True)
    issued_by = models.ForeignKey(verbose_name=_("issued by"), **_USER)
    answered_by = models.ForeignKey(verbose_name=_("answered by"), **_USER)

    class Meta:
        ordering = ["period__start", "unit", "kind"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [("enter_order", _("Can enter, amend and import the Cnam's orders"))]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "kind"], name="order_period_unit_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} {self.get_kind_display()} {self.period}"


class OrderLine(models.Model):
    """Quantity ordered for one working day, and one hour when given (SPEC §6 "per day and hour")."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    day = models.DateField(_("day"))
    hour = models.PositiveSmallIntegerField(
        _("hour"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
        help_text=_("Empty for the whole day."),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Productive hours (UO1, UO3) or acts (UO2, UO4)."),
    )

    class Meta:
        ordering = ["day", "hour"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "day", "hour"],
                condition=models.Q(hour__isnull=False),
                name="order_line_day_hour",
            ),
            models.UniqueConstraint(
                fields=["order", "day"],
                condition=models.Q(hour__isnull=True),
                name="order_line_whole_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hour if self.hour is not None else '*'}: {self.quantity}"


class OrderAmendment(models.Model):
    """History of an order: the lines and status before each amendment."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("order")
    )
    revision = models.PositiveSmallIntegerField(_("revision"))
    reason = models.CharField(_("reason"), max_length=300)
    previous_status = models.CharField(
        _("previous status"), max_length=12, choices=OrderStatus.choices
    )
    previous_lines = models.JSONField(_("previous lines"))
    previous_total = models.DecimalField(_("previous total"), max_digits=12, decimal_places=2)
    new_total = models.DecimalField(_("new total"), max_digits=12, decimal_places=2)
    amended_on = models.DateField(_("amended on"))
    amended_by = models.ForeignKey(verbose_name=_("amended by"), **_USER)

    class Meta:
        ordering = ["order", "revision"]
        verbose_name = _("order amendment")
        verbose_name_plural = _("order amendments")

    def __str__(self) -> str:
        return f"{self.order} r{self.revision}"


class ServiceLevel(models.Model):
    """One service level with its penalty, as data (SPEC §5); versioned by validity dates."""

    code = models.SlugField(_("identifier"), max_length=64)
    label = models.CharField(_("label"), max_length=200)
    source = models.CharField(_("measured by"), max_length=16, choices=LevelSource.choices)
    indicator_code = models.SlugField(_("indicator"), max_length=64, blank=True)
    activity = models.CharField(_("activity"), max_length=6, choices=Activity.choices)
    target = models.CharField(_("expected level"), max_length=120, blank=True)
    breach = models.CharField(_("penalised when"), max_length=1, choices=Breach.choices)
    threshold = models.DecimalField(_("penalty threshold"), max_digits=10, decimal_places=4)
    rate = models.DecimalField(
        _("penalty rate"), max_digits=6, decimal_places=4, help_text=_("0.015 = 1.5%")
    )
    invoice = models.CharField(
        _("invoice the rate applies to"), max_length=5, choices=InvoiceBase.choices
    )
    subject_to_grace = models.BooleanField(_("subject to the grace period"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    change_note = models.CharField(_("reason for the change"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "code", "valid_from"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="service_level_code_from")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.valid_from})"


class MonthlyInvoice(models.Model):
    """The production invoices of a month, bases of the penalties (SPEC §5)."""

    month = models.DateField(_("month"), unique=True, help_text=_("First day of the month."))
    phone_amount = models.DecimalField(_("phone invoice (€)"), max_digits=12, decimal_places=2)
    forms_amount = models.DecimalField(
        _("contact-form invoice (€)"), max_digits=12, decimal_places=2
    )
    recorded_by = models.ForeignKey(verbose_name=_("recorded by"), **_USER)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly invoice")
        verbose_name_plural = _("monthly invoices")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class TargetChangeProposal(models.Model):
    """A change of an indicator's target or definition proposed by the Cnam (SPEC §5)."""

    indicator_code = models.SlugField(_("indicator"), max_length=64, blank=True)
    new_target = models.CharField(
        _("new target"), max_length=32, blank=True, help_text=_("e.g. >= 0.92")
    )
    new_formula = models.TextField(
        _("new formula"), blank=True, help_text=_("Empty to keep the formula.")
    )
    service_level_code = models.SlugField(_("service level"), max_length=64, blank=True)
    new_threshold = models.DecimalField(
        _("new penalty threshold"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    note = models.CharField(_("reason"), max_length=300, blank=True)
    notified_on = models.DateField(_("notified on"))
    answer_deadline = models.DateField(_("answer deadline"))
    effective_from = models.DateField(_("effective from"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.AWAITING
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    published_version = models.ForeignKey(
        "indicators.IndicatorVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published indicator version"),
    )
    proposed_by = models.ForeignKey(verbose_name=_("proposed by"), **_USER)
    answered_by = models.ForeignKey(verbose_name=_("answered by"), **_USER)

    class Meta:
        ordering = ["-notified_on"]
        verbose_name = _("target change proposal")
        verbose_name_plural = _("target change proposals")

    def __str__(self) -> str:
        return f"{self.indicator_code or self.service_level_code} ({self.notified_on})"


class ServiceInterruption(models.Model):
    """A service interruption (power, fire...), limited to 48 hours (SPEC §6)."""

    cause = models.CharField(_("cause"), max_length=12, choices=InterruptionCause.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    site = models.ForeignKey(
        "organisation.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Empty for the whole service."),
    )
    started_at = models.DateTimeField(_("start"))
    ended_at = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Empty while it lasts.")
    )
    recorded_by = models.ForeignKey(verbose_name=_("recorded by"), **_USER)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("service interruption")
        verbose_name_plural = _("service interruptions")

    def __str__(self) -> str:
        return f"{self.get_cause_display()} {self.started_at:%d/%m/%Y %H:%M}"


class CommitteeMeeting(models.Model):
    """A committee (weekly production, monthly steering, ten-day forecast) and its minutes
    (SPEC §6): sent, validated by silence after 48 working hours, or amended."""

    kind = models.CharField(_("committee"), max_length=10, choices=CommitteeKind.choices)
    held_on = models.DateField(_("held on"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_sent_at = models.DateTimeField(_("minutes sent at"), null=True, blank=True)
    amended_at = models.DateTimeField(_("amended at"), null=True, blank=True)
    amendment = models.TextField(_("remarks and amendment"), blank=True)
    created_by = models.ForeignKey(verbose_name=_("prepared by"), **_USER)

    class Meta:
        ordering = ["-held_on", "kind"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        permissions = [("prepare_committee", _("Can prepare committee packs and minutes"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "held_on"], name="committee_kind_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class ActionPlan(models.Model):
    """An action decided in a committee, followed at the monthly steering committee."""

    meeting = models.ForeignKey(
        CommitteeMeeting,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("decided at"),
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return self.title
