"""Indicator definitions as versioned data (SPEC §3: the Cnam may change definitions and
targets; seed 001: indicators are co-constructed with partners).

A version is a draft until published; publishing freezes its formula with the named
measures inlined (`resolved_formula`), so that a past period is always recomputed with
the definition valid then, whatever happens to the measure library later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..catalogue import BEGINNING
from ..choices import Category, Unit, VersionStatus


class MeasureDefinition(models.Model):
    """A named measure of the library, e.g. `calls_answered = count(calls where ...)`."""

    name = models.SlugField(_("name"), max_length=64, unique=True)
    expression = models.TextField(_("expression"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name


class IndicatorVersion(models.Model):
    """One version of one indicator; `code` is stable across versions (e.g. `answer_rate`)."""

    code = models.SlugField(_("identifier"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    label = models.CharField(_("label"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    formula_text = models.TextField(_("formula in words"), blank=True)
    formula = models.TextField(
        _("formula"), help_text=_("In the formula language; may name measures of the library.")
    )
    resolved_formula = models.TextField(
        _("frozen formula"),
        blank=True,
        help_text=_("The formula with measures inlined, set at publication."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    target = models.CharField(
        _("target"),
        max_length=32,
        blank=True,
        help_text=_("e.g. >= 0.90 or < 120; empty for a follow-up indicator."),
    )
    target_note = models.CharField(_("target note"), max_length=200, blank=True)
    pending_source = models.CharField(_("source not yet available"), max_length=32, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    change_note = models.CharField(_("reason for the change"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("indicator version")
        verbose_name_plural = _("indicator versions")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_code_version")
        ]
        permissions = [("publish_indicatorversion", _("Can publish an indicator version"))]

    def __str__(self) -> str:
        return f"{self.label} (v{self.version})"

    @property
    def is_follow_up(self) -> bool:
        return not self.target.strip()

    @property
    def since_beginning(self) -> bool:
        """In force from the beginning (the shipped catalogue's first versions)."""
        return self.valid_from is not None and self.valid_from <= BEGINNING
