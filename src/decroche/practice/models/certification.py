"""Competency framework and two-evaluator assessment (issue 15 §4–5; SPEC §8, seed 004):
versioned blocks → competencies → observable criteria with levels; append-only evidence;
each evaluator's grid filled blind and independently, reconciled per criterion, co-signed
and frozen with the framework version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from decroche.quality.models import Evaluation

from ..choices import AssessmentStatus, EvidenceKind, Reconciliation
from .runs import Run


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    levels = models.JSONField(_("levels"), help_text=_("Level labels, lowest first."))

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="practice_framework_version")
        ]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        permissions = [
            ("evaluate_competencies", _("Evaluate candidates assigned to them")),
            ("manage_assessments", _("Create assessments and read every one (jury)")),
            ("view_assessment_results", _("Read the co-signed results of every assessment")),
            ("view_agreement_report", _("Read the inter-rater agreement report")),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Block(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="blocks")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    modality = models.TextField(_("evaluation modality"))

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("block of competencies")
        verbose_name_plural = _("blocks of competencies")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Competency(models.Model):
    block = models.ForeignKey(Block, models.CASCADE, related_name="competencies")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["block", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(models.Model):
    competency = models.ForeignKey(Competency, models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("observable criterion"), max_length=300)

    class Meta:
        ordering = ["competency", "code"]
        verbose_name = _("observable criterion")
        verbose_name_plural = _("observable criteria")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class EvidenceRecord(models.Model):
    """What showed a criterion for a candidate (issue 15 §4): an observed interaction, a
    role-play run, a quality evaluation or a file. Append-only: never changed or deleted;
    a correction is a new record whose `corrects` points at the record it replaces."""

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    assessment = models.ForeignKey(
        "Assessment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("assessment"),
    )
    run = models.ForeignKey(Run, models.PROTECT, null=True, blank=True, related_name="+")
    quality_evaluation = models.ForeignKey(
        Evaluation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quality evaluation"),
    )
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects the record"),
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("evidence record")
        verbose_name_plural = _("evidence records")

    def __str__(self) -> str:
        return f"{self.criterion.code} — {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Evidence records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Evidence records are append-only.")


class Assessment(models.Model):
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    framework = models.ForeignKey(Framework, models.PROTECT, related_name="assessments")
    evaluator_a = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    evaluator_b = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.GRADING,
    )
    final = models.JSONField(_("frozen result"), default=dict)
    signed_a_at = models.DateTimeField(null=True, blank=True)
    signed_b_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.candidate} — {self.framework}"


class Grid(models.Model):
    """One evaluator's grid: provisional until submitted, then read-only."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="grids")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    comments = models.JSONField(_("comments under each table"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "evaluator"], name="practice_grid_once")
        ]
        verbose_name = _("evaluator's grid")
        verbose_name_plural = _("evaluators' grids")

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.evaluator}"


class GridScore(models.Model):
    grid = models.ForeignKey(Grid, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grid", "criterion"], name="practice_gridscore_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.level}"


class CriterionDecision(models.Model):
    """The reconciliation of one criterion: agreement, justified decision or escalation."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="decisions")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Reconciliation.choices)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "criterion", "decided_at"]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.outcome}"
