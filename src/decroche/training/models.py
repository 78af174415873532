"""Programmes (templates), requests, dated sessions with their half-days, enrolments with a
waiting list, attendance per half-day kept with its corrections, and certificates of
completion (SPEC §8; issue 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decroche.organisation.models import Advisor

from .choices import (
    ComplaintKind,
    Delivery,
    EnrolmentStatus,
    HalfDay,
    Presence,
    PriceBasis,
    ProgrammeFormat,
    Respondent,
    SessionStatus,
    SignatureMethod,
    TestKind,
)

DEFAULT_GROUP_SIZE = 10  # SPEC §8: "max 10 per group"


class Programme(models.Model):
    """A training programme, the template a session is a dated instance of (SPEC §8)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    audience = models.TextField(_("audience"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    objectives = models.TextField(_("operational and evaluable objectives"), blank=True)
    content = models.TextField(_("content by sequence"), blank=True)
    methods = models.TextField(_("teaching methods"), blank=True)
    duration_hours = models.DecimalField(
        _("duration in hours"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    format = models.CharField(
        _("format"), max_length=8, choices=ProgrammeFormat.choices, default=ProgrammeFormat.INTRA
    )
    delivery = models.CharField(
        _("on site or remote"), max_length=8, choices=Delivery.choices, default=Delivery.ON_SITE
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    parts_description = models.TextField(
        _("split in parts"),
        blank=True,
        help_text=_("For example: 2 days, then a feedback day three months later."),
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("maximum group size"), default=DEFAULT_GROUP_SIZE, validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(
        _("price (euros, excl. tax)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    price_basis = models.CharField(
        _("price basis"), max_length=8, choices=PriceBasis.choices, default=PriceBasis.PER_PERSON
    )
    funded_share = models.DecimalField(
        _("funded share"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Fraction of the price covered (0.70 for 70 %); the rest is invoiced."),
    )
    funding_rule = models.TextField(_("funding rule"), blank=True)
    contacts = models.TextField(_("contacts (assistant, project manager)"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    review_on = models.DateField(
        _("annual review of objectives and audience"), null=True, blank=True
    )
    is_initial_path = models.BooleanField(
        _("module of the initial training path"),
        default=False,
        help_text=_("Advisors complete every required module before going operational."),
    )
    path_optional = models.BooleanField(_("optional in the initial path"), default=False)
    path_order = models.PositiveSmallIntegerField(_("order in the initial path"), default=0)
    is_public = models.BooleanField(_("public page"), default=True)

    class Meta:
        ordering = ["-is_initial_path", "path_order", "title"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        permissions = [
            ("manage_training", _("Can manage the training catalogue and sessions")),
            ("view_training", _("Can view training sessions, attendance and certificates")),
            ("attend", _("Can attend training and sign one's own attendance")),
            ("teach", _("Can run sessions as a trainer and sign the attendance")),
            ("request_training", _("Can request a training session")),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingRequest(models.Model):
    """A manager or the fund asks for a session: the training body plans it within one
    month (SPEC §8, 000 Prestation 1; `rules.planning_deadline`)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="requests", verbose_name=_("programme")
    )
    requested_on = models.DateField(_("requested on"))
    plan_by = models.DateField(_("to be planned by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    trainees_expected = models.PositiveSmallIntegerField(_("trainees expected"), default=0)
    note = models.TextField(_("note"), blank=True)
    session = models.OneToOneField(
        "Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("planned session"),
    )
    planned_on = models.DateField(_("planned on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("training request")
        verbose_name_plural = _("training requests")

    def __str__(self) -> str:
        return f"{self.programme} ({self.requested_on:%d/%m/%Y})"

    def is_overdue(self, today: dt.date) -> bool:
        """Planned after the deadline, or still unplanned once it has passed."""
        if self.planned_on is not None:
            return self.planned_on > self.plan_by
        return today > self.plan_by


class Session(models.Model):
    """A dated instance of a programme: its half-days, place or virtual room, trainers."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme")
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    virtual_room = models.URLField(_("virtual room"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="training_sessions"
    )
    training_body = models.CharField(_("training body"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.reference} — {self.programme}"


class SessionHalfDay(models.Model):
    """One half-day of a session (a part number groups them: days 1–2, then feedback day)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="half_days")
    part = models.PositiveSmallIntegerField(_("part"), default=1)
    day = models.DateField(_("day"))
    half = models.CharField(_("half-day"), max_length=2, choices=HalfDay.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, default=Decimal("3.5"))
    trainer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by the trainer"),
    )
    trainer_signed_at = models.DateTimeField(_("trainer signed at"), null=True, blank=True)
    sheet_scan = models.FileField(
        _("scan of the paper sheet"), upload_to="training/sheets/", blank=True
    )

    class Meta:
        ordering = ["day", "half"]
        constraints = [
            models.UniqueConstraint(fields=["session", "day", "half"], name="training_half_day")
        ]
        verbose_name = _("half-day")
        verbose_name_plural = _("half-days")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_half_display()}"


class Enrolment(models.Model):
    """A trainee in a session, or on its waiting list (promoted in order when a seat frees)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    # An advisor of the roster (the indicator counts them), or any user (a manager, a
    # back-office agent); the name is kept as written on the certificate.
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_enrolments",
        verbose_name=_("advisor"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_enrolments",
        verbose_name=_("user account"),
    )
    trainee_name = models.CharField(_("trainee"), max_length=170)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    requested_at = models.DateTimeField(_("asked at"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list at"), null=True, blank=True
    )

    class Meta:
        ordering = ["session", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "advisor"],
                condition=~Q(status="cancelled") & Q(advisor__isnull=False),
                name="training_enrolment_advisor_once",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled") & Q(user__isnull=False),
                name="training_enrolment_user_once",
            ),
            models.CheckConstraint(
                condition=Q(advisor__isnull=False) | Q(user__isnull=False),
                name="training_enrolment_someone",
            ),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.trainee_name} — {self.session.reference}"


class Attendance(models.Model):
    """One trainee's presence on one half-day. A correction adds a row and retires the one
    it corrects (`is_current`), so the history stays (issue 13 point 3)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    half_day = models.ForeignKey(
        SessionHalfDay, on_delete=models.CASCADE, related_name="attendances"
    )
    presence = models.CharField(_("presence"), max_length=12, choices=Presence.choices)
    minutes_missed = models.PositiveSmallIntegerField(
        _("minutes missed"),
        default=0,
        help_text=_("For a late arrival or an early departure."),
    )
    remark = models.TextField(_("remark"), blank=True)
    method = models.CharField(_("signed by"), max_length=8, choices=SignatureMethod.choices)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_current = models.BooleanField(default=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("corrects"),
    )

    class Meta:
        ordering = ["half_day", "enrolment", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "half_day"],
                condition=Q(is_current=True),
                name="training_attendance_current",
            )
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.half_day} {self.presence}"


class Certificate(models.Model):
    """A certificate of completion ("certificat de réalisation"), issued from attendance
    only; its random code opens the public verification page (issue 13 point 4)."""

    code = models.CharField(_("verification code"), max_length=24, unique=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="certificates")
    hours = models.DecimalField(_("hours attended"), max_digits=5, decimal_places=2)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate of completion")
        verbose_name_plural = _("certificates of completion")

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class LineStart(models.Model):
    """The day an advisor was put on the line (went operational). Without one, the
    advisor's joining day stands for it (`rules`, SPEC §3 "initially trained advisors")."""

    advisor = models.OneToOneField(
        Advisor, on_delete=models.CASCADE, related_name="line_start", verbose_name=_("advisor")
    )
    operational_on = models.DateField(_("operational from"))

    class Meta:
        verbose_name = _("start on the line")
        verbose_name_plural = _("starts on the line")

    def __str__(self) -> str:
        return f"{self.advisor_id} {self.operational_on}"


class Question(models.Model):
    """A question of a programme's bank, tied to one of its objectives: the pre-test and the
    post-test ask the same ones, so the gain is measured per trainee and per objective."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    objective = models.CharField(_("objective"), max_length=200)
    text = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list)
    answer = models.PositiveSmallIntegerField(_("right choice (from 0)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")

    def __str__(self) -> str:
        return self.text[:60]


class TestAnswer(models.Model):
    """One trainee's answer to one question, before (pre) or after (post) the session."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(_("test"), max_length=4, choices=TestKind.choices)
    choice = models.PositiveSmallIntegerField(_("choice"))
    correct = models.BooleanField(_("right"))
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "question", "kind"], name="training_answer_once"
            )
        ]
        verbose_name = _("test answer")
        verbose_name_plural = _("test answers")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.kind} {self.question_id}"


class SatisfactionResponse(models.Model):
    """Hot satisfaction at the end of the session (1 to 5), with the trainee's own words."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="satisfaction"
    )
    rating = models.PositiveSmallIntegerField(
        _("overall satisfaction (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    objectives_met = models.PositiveSmallIntegerField(
        _("objectives met (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("hot satisfaction")
        verbose_name_plural = _("hot satisfaction answers")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.rating}"


class ActionPlan(models.Model):
    """The trainee's self-assessment and personal action plan (SPEC §8, seed 000 methods)."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="action_plan"
    )
    self_assessment = models.TextField(_("self-assessment"))
    actions = models.TextField(_("personal action plan"))
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("self-assessment and action plan")
        verbose_name_plural = _("self-assessments and action plans")

    def __str__(self) -> str:
        return str(self.enrolment_id)


class TransferEvaluation(models.Model):
    """Transfer to the job, three months after the session, answered by the trainee and by
    their manager (issue 13 point 5); reminded once due and unanswered."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="transfer_evaluations"
    )
    respondent = models.CharField(_("respondent"), max_length=8, choices=Respondent.choices)
    due_on = models.DateField(_("due on"))
    applied = models.PositiveSmallIntegerField(
        _("what was learnt is applied (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "respondent"], name="training_transfer_once"
            )
        ]
        verbose_name = _("transfer evaluation")
        verbose_name_plural = _("transfer evaluations")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.respondent}"


class Complaint(models.Model):
    """A complaint or an incident about the training, with the action taken: the register
    the national quality framework asks of a training body (issue 13 point 8)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("session"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ComplaintKind.choices)
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("description"))
    action = models.TextField(_("action taken"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint or incident")
        verbose_name_plural = _("complaints and incidents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"
