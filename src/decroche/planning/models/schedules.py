"""Schedule runs and their shifts (SPEC §6): each run keeps its parameters, requirement,
status and coverage, so the schedules page and the XLSX export show what was computed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from decroche.organisation.models import Advisor, Site


class ScheduleStatus(models.TextChoices):
    OPTIMAL = "optimal", _("optimal")
    FEASIBLE = "feasible", _("feasible, not proven optimal")


class ScheduleRun(models.Model):
    """One optimisation of the schedules of a period (``planning.schedules.optimise_schedule``)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Empty: every site."),
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=ScheduleStatus.choices)
    method = models.CharField(_("method"), max_length=16)
    paid_hours = models.FloatField(_("paid hours"))
    lower_bound_hours = models.FloatField(
        _("lower bound (hours)"),
        help_text=_(
            "Hours of phone and form need, or the advisors' weekly minima if more: no "
            "schedule covering the need pays less."
        ),
    )
    phone_shortfall_hours = models.FloatField(_("phone shortfall (hours)"))
    forms_shortfall_hours = models.FloatField(_("forms shortfall (hours)"))
    objective = models.FloatField(_("objective"), null=True, blank=True)
    best_bound = models.FloatField(_("proven bound"), null=True, blank=True)
    seconds = models.FloatField(_("computing time (s)"))
    # Per day × half-hour needs and plan, per day forms hours and lever capacities.
    requirement = models.JSONField(_("requirement"), default=dict)
    coverage = models.JSONField(_("coverage"), default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        permissions = [("run_schedule", _("Can run the schedule optimiser"))]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.best_bound is None:
            return None
        return abs(self.objective - self.best_bound) / max(abs(self.objective), 1e-9)


class Shift(models.Model):
    """An advisor's shift on one day of a run; ``activities`` has one letter per half-hour
    of opening: P phone, F forms, L lunch, . not working."""

    run = models.ForeignKey(
        ScheduleRun, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("run")
    )
    advisor = models.ForeignKey(
        Advisor, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("advisor")
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))
    lunch_starts_at = models.TimeField(_("lunch start"), null=True, blank=True)
    lunch_ends_at = models.TimeField(_("lunch end"), null=True, blank=True)
    paid_minutes = models.PositiveSmallIntegerField(_("paid minutes"))
    activities = models.CharField(_("activities"), max_length=48)

    class Meta:
        ordering = ["day", "starts_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["run", "advisor", "day"], name="one_shift_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.advisor} {self.day:%d/%m} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
