"""Quality (SPEC §7): evaluation grids as versioned data, N2 tickets, evaluations and their
revisions, monthly sampling plans, blind calibration sessions, disputes, feedback and
coaching. Scores are computed by `quality.scoring` (pure) and stored on submission."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from decroche.contacts.models import Call, ContactForm, LocalDaysMixin
from decroche.organisation.models import Advisor, ContactReason

from .choices import (
    CalibrationStatus,
    CoachingKind,
    CriticalScope,
    DisputeStatus,
    EvaluatedObject,
    EvaluationOrigin,
    EvaluationStatus,
    GridOwner,
    GridStatus,
    TicketStatus,
)

_SCORE = {"max_digits": 6, "decimal_places": 2}
_POINTS = {"max_digits": 7, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class QualityCommitment(models.Model):
    """The quality plan's monthly commitments per advisor (SPEC §7: a committed number of
    evaluations and of feedback sessions per advisor per month), versioned by date."""

    valid_from = models.DateField(_("valid from"), unique=True)
    evaluations_per_month = models.PositiveSmallIntegerField(
        _("evaluations per advisor per month"), default=4
    )
    feedback_per_month = models.PositiveSmallIntegerField(
        _("feedback sessions per advisor per month"), default=1
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("quality commitment")
        verbose_name_plural = _("quality commitments")

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.evaluations_per_month} / {self.feedback_per_month}"


class Grid(models.Model):
    """An evaluation grid; its content lives in versions (one per object evaluated)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    evaluated_object = models.CharField(
        _("evaluated object"), max_length=8, choices=EvaluatedObject.choices
    )
    owner = models.CharField(
        _("owner"), max_length=12, choices=GridOwner.choices, default=GridOwner.CONTRACTOR
    )

    class Meta:
        ordering = ["evaluated_object", "code"]
        verbose_name = _("evaluation grid")
        verbose_name_plural = _("evaluation grids")
        permissions = [
            ("evaluate", _("Can evaluate contacts")),
            ("manage_quality", _("Can manage grids, sampling and calibrations")),
            ("view_evaluations", _("Can read the evaluations of the advisors in scope")),
            ("evaluate_for_cnam", _("Evaluates for the Cnam (calibrations, the Cnam's grid)")),
        ]

    def __str__(self) -> str:
        return self.name


class GridVersion(models.Model):
    """One version of a grid: draft, then published (never changed again), then archived."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=GridStatus.choices, default=GridStatus.DRAFT
    )
    notes = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["grid", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "number"], name="quality_grid_version_unique"),
            models.UniqueConstraint(
                fields=["grid"],
                condition=models.Q(status="published"),
                name="quality_one_published_version_per_grid",
            ),
        ]
        verbose_name = _("grid version")
        verbose_name_plural = _("grid versions")

    def __str__(self) -> str:
        return f"{self.grid} v{self.number}"


class GridSection(models.Model):
    version = models.ForeignKey(GridVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    weight = models.DecimalField(_("weight"), **_POINTS)
    bonus = models.BooleanField(_("bonus section"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="quality_section_unique")
        ]
        verbose_name = _("grid section")
        verbose_name_plural = _("grid sections")

    def __str__(self) -> str:
        return self.label


class GridQuestion(models.Model):
    section = models.ForeignKey(GridSection, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("guidance"), blank=True)
    critical = models.CharField(
        _("critical item"), max_length=10, choices=CriticalScope.choices, blank=True, default=""
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["section", "position", "id"]
        verbose_name = _("grid question")
        verbose_name_plural = _("grid questions")

    def __str__(self) -> str:
        return self.label


class GridOption(models.Model):
    question = models.ForeignKey(GridQuestion, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    points = models.DecimalField(_("points"), default=0, **_POINTS)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    failure = models.BooleanField(
        _("failed item"), default=False, help_text=_("A comment is required when chosen.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="quality_option_unique")
        ]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self) -> str:
        return self.label


class Ticket(LocalDaysMixin):
    """An N2 escalation ticket raised from a contact (imported), so that ticket quality has
    something to evaluate (SPEC §3 "average score on picked N2 tickets")."""

    LOCAL_DERIVED = {"day": ("raised_at", "day")}

    source_system = models.CharField(_("source system"), max_length=32)
    source_id = models.CharField(_("ticket id"), max_length=64)
    raised_at = models.DateTimeField(_("raised at"))
    day = models.DateField(_("day (Paris)"), db_index=True)
    reason = models.ForeignKey(
        ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    advisor = models.ForeignKey(
        Advisor, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "source_id"], name="quality_ticket_unique"
            )
        ]
        verbose_name = _("N2 ticket")
        verbose_name_plural = _("N2 tickets")

    def __str__(self) -> str:
        return self.source_id


class ContactLink(models.Model):
    """The contact something is about: one call, one written reply or one N2 ticket."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    form = models.ForeignKey(
        ContactForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def contact(self) -> Call | ContactForm | Ticket | None:
        return self.call or self.form or self.ticket


class CalibrationSession(models.Model):
    """A calibration (SPEC §7): contacts scored blind by both parties, then compared."""

    held_on = models.DateField(_("held on"))
    grid_version = models.ForeignKey(GridVersion, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CalibrationStatus.choices,
        default=CalibrationStatus.SCORING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")

    def __str__(self) -> str:
        return self.title


class CalibrationItem(ContactLink):
    """One contact of a calibration, with the consensus score the session agreed."""

    session = models.ForeignKey(CalibrationSession, on_delete=models.CASCADE, related_name="items")
    consensus_score = models.DecimalField(_("consensus score"), null=True, blank=True, **_SCORE)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("calibrated contact")
        verbose_name_plural = _("calibrated contacts")

    def __str__(self) -> str:
        return f"{self.session} #{self.pk}"


class SamplingPlan(models.Model):
    """An advisor's monthly draw of contacts to evaluate (SPEC §7: a committed number of
    evaluations per advisor per month); reproducible from its seed."""

    month = models.DateField(_("month"))
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, related_name="sampling_plans")
    evaluated_object = models.CharField(
        _("evaluated object"), max_length=8, choices=EvaluatedObject.choices
    )
    committed = models.PositiveSmallIntegerField(_("committed evaluations"))
    seed = models.PositiveIntegerField(_("seed"))
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "advisor"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "advisor", "evaluated_object"], name="quality_plan_unique"
            )
        ]
        verbose_name = _("sampling plan")
        verbose_name_plural = _("sampling plans")

    def __str__(self) -> str:
        return f"{self.advisor} {self.month:%m/%Y}"


class SampledContact(ContactLink):
    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="contacts")

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("sampled contact")
        verbose_name_plural = _("sampled contacts")

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk}"


class Evaluation(ContactLink):
    """One evaluation of one contact on one frozen grid version. Once submitted it never
    changes: a correction is a new revision (with its reason) that supersedes it."""

    grid_version = models.ForeignKey(
        GridVersion, on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluator_party = models.CharField(
        _("evaluator's party"), max_length=12, choices=GridOwner.choices
    )
    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, related_name="evaluations")
    evaluated_object = models.CharField(
        _("evaluated object"), max_length=8, choices=EvaluatedObject.choices
    )
    contact_day = models.DateField(_("day of the contact (Paris)"), db_index=True)
    reason = models.ForeignKey(
        ContactReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=12, choices=EvaluationOrigin.choices)
    sampled = models.ForeignKey(
        SampledContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    calibration_item = models.ForeignKey(
        CalibrationItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    total = models.DecimalField(_("score /100"), null=True, blank=True, **_SCORE)
    zeroed = models.BooleanField(_("zeroed by a critical item"), default=False)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revision_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the advisor"), null=True, blank=True)
    # An evaluation imported from another tool: "<system>:<its id>", so a re-import adds nothing.
    source_ref = models.CharField(_("reference in the source tool"), max_length=100, blank=True)

    class Meta:
        ordering = ["-contact_day", "-id"]
        indexes = [models.Index(fields=["advisor", "contact_day"], name="quality_eval_adv_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref"],
                condition=~models.Q(source_ref=""),
                name="quality_evaluation_source_ref",
            )
        ]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.get_evaluated_object_display()} {self.advisor} {self.contact_day}"


class Answer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(GridQuestion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(GridOption, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["evaluation", "question__section__position", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="quality_answer_unique")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id}"


class Dispute(models.Model):
    """An advisor's dispute of an evaluation item, decided by a reviewer who is not the
    evaluator; a changed score is a revision of the evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="disputes")
    question = models.ForeignKey(
        GridQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"))
    status = models.CharField(
        _("status"), max_length=8, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    revision = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return f"{self.evaluation} ({self.get_status_display()})"


class CoachingSession(models.Model):
    """A feedback or coaching session (SPEC §7: a committed number of feedback sessions per
    advisor per month); a follow-up evaluation closes a coaching."""

    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, related_name="coachings")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=CoachingKind.choices)
    held_on = models.DateField(_("held on"), db_index=True)
    evaluations = models.ManyToManyField(Evaluation, blank=True, related_name="coachings")
    goals = models.TextField(_("goals"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    follow_up = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("feedback or coaching session")
        verbose_name_plural = _("feedback and coaching sessions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.advisor} {self.held_on}"
