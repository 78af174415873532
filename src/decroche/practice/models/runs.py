"""Role-play practice (issue 15; SPEC §8): scenarios stored in the open format
(docs/scenario-format.md), runs with their transcript and event log, the advisor's
self-assessment and action plan, and the trainer's review of each criterion's score."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Channel, Ending, ReviewStatus, SourceFormat


class Scenario(models.Model):
    """One scenario; `data` is the validated scenario JSON. Shipped scenarios have a slug
    and are refreshed after every migration; imported ones get none."""

    slug = models.SlugField(_("code"), max_length=80, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    emotional_state = models.CharField(_("emotional state"), max_length=30)
    source_format = models.CharField(_("source format"), max_length=8, choices=SourceFormat.choices)
    data = models.JSONField(_("scenario"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        permissions = [
            ("practise", _("Practise role-play scenarios")),
            ("manage_scenarios", _("Import and manage scenarios")),
            ("view_all_runs", _("See every advisor's role-play runs")),
            ("review_run", _("Confirm or change the scores of a run")),
        ]

    def __str__(self) -> str:
        return self.title


class Run(models.Model):
    """One play of a scenario by a user. `scenario_data` freezes the scenario as played,
    `state` is the engine's state (node, tension, trust, information, path, events: the
    transcript and event log), `result` the scorer's output once an ending is reached."""

    scenario = models.ForeignKey(
        Scenario, models.PROTECT, related_name="runs", verbose_name=_("scenario")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="practice_runs",
        verbose_name=_("trainee"),
    )
    scenario_data = models.JSONField()
    state = models.JSONField()
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ending = models.CharField(_("ending"), max_length=12, choices=Ending.choices, blank=True)
    result = models.JSONField(default=dict)
    passed = models.BooleanField(_("passed"), null=True)
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    action_plan = models.TextField(_("personal action plan"), blank=True)
    review_status = models.CharField(
        _("review"),
        max_length=10,
        choices=ReviewStatus.choices,
        blank=True,
        default=ReviewStatus.NONE,
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("role-play run")
        verbose_name_plural = _("role-play runs")
        indexes = [models.Index(fields=["review_status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.scenario} — {self.user}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class CriterionReview(models.Model):
    """A trainer's decision on one criterion of a run: confirmed or changed, with a comment.
    Append-only: a new review of the same criterion supersedes the former one."""

    run = models.ForeignKey(Run, models.CASCADE, related_name="reviews")
    criterion = models.CharField(_("criterion"), max_length=40)
    engine_score = models.SmallIntegerField(_("score given by the rules"))
    reviewed_score = models.SmallIntegerField(_("score after review"))
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "criterion", "-reviewed_at"]
        verbose_name = _("criterion review")
        verbose_name_plural = _("criterion reviews")

    def __str__(self) -> str:
        return f"{self.run_id} {self.criterion}: {self.engine_score} → {self.reviewed_score}"
