"""Contact records: the facts every indicator is computed from (SPEC §1, §3).

Each field's help text names the SPEC §3 formula it feeds. Durations are stored in whole
seconds next to the timestamps they derive from, so that indicators aggregate them in the
database without date arithmetic (which differs between SQLite and PostgreSQL).
Every record carries the natural key of its source system (`source_system`,
`source_id`): importing the same export twice adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from decroche.organisation.choices import ChannelCode
from decroche.organisation.models import Advisor, ContactReason, Site

from .choices import (
    AdvisorStateKind,
    CallOrigin,
    CallOutcome,
    ImportKind,
    ImportStatus,
    VisitKind,
    Widening,
)
from .localtime import DERIVERS


class ImportBatch(models.Model):
    """One run of an import: its file, its counts and where its rejected rows went."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    mapping_name = models.CharField(_("column mapping"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    started_at = models.DateTimeField(_("start"), auto_now_add=True)
    finished_at = models.DateTimeField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    rejects_path = models.CharField(_("rejects file"), max_length=500, blank=True)
    # Counts by reason and the first few masked rejected lines, for the results page
    # (`core.tabular.rejects.RejectsWriter.summary`): kept after the file is purged.
    rejections = models.JSONField(_("rejections by reason"), default=dict, blank=True)
    masked_identifiers = models.PositiveIntegerField(
        _("identifiers masked"),
        default=0,
        help_text=_("NIRs, phone numbers and e-mail addresses masked in free-text fields."),
    )
    error = models.TextField(_("error"), blank=True)
    # Progress and liveness (issue 17): the runner identifies itself and beats at every
    # committed batch; a running batch whose process is gone, or whose heartbeat is stale,
    # is interrupted (`contacts.services.import_batches_reap`).
    rows_expected = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    runner_host = models.CharField(_("runner host"), max_length=255, blank=True)
    runner_pid = models.PositiveIntegerField(_("runner process id"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resumes",
        verbose_name=_("resumed by"),
        help_text=_("The later import of the same file that took over the rows of this one."),
    )
    discarded_at = models.DateTimeField(_("discarded"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        permissions = [
            ("import_contacts", _("Can import contacts")),
            ("download_any_rejects", _("Can download the rejected rows of any import")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.started_at:%d/%m/%Y %H:%M})"


class LocalDaysMixin(models.Model):
    """Fills the local-day columns named in `LOCAL_DERIVED` from their instants on save.

    `LOCAL_DERIVED` maps a column to (instant column, "day" | "half_hour"); the bulk
    writer (`contacts.bulk`) fills the same columns with the same functions.
    """

    LOCAL_DERIVED: dict[str, tuple[str, str]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_local_days()
        super().save(*args, **kwargs)

    def fill_local_days(self) -> None:
        for column, (instant, kind) in self.LOCAL_DERIVED.items():
            setattr(self, column, DERIVERS[kind](getattr(self, instant)))


class SourceRecord(LocalDaysMixin):
    """Fields shared by every imported record."""

    source_system = models.CharField(
        _("source system"),
        max_length=32,
        help_text=_("System that produced the record (odigo, asterisk...)."),
    )
    source_id = models.CharField(_("source id"), max_length=64)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.source_system}:{self.source_id}"


class Call(SourceRecord):
    """An inbound call presented to a group (SPEC §1, §3 phone indicators)."""

    LOCAL_DERIVED = {"day": ("arrived_at", "day"), "half_hour": ("arrived_at", "half_hour")}

    queue = models.CharField(_("group / queue"), max_length=64, blank=True)
    arrived_at = models.DateTimeField(
        _("arrived at"),
        help_text=_("Presentation to the IVR; sets the day and half-hour of the call."),
    )
    day = models.DateField(
        _("day"),
        null=True,
        editable=False,
        help_text=_("Paris calendar day of arrival: the period the call counts in (SPEC §3)."),
    )
    half_hour = models.PositiveSmallIntegerField(
        _("half-hour"),
        null=True,
        editable=False,
        help_text=_("Paris half-hour of arrival, 0 to 47 (17 = 08:30)."),
    )
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    wrap_up_ended_at = models.DateTimeField(_("wrap-up ended at"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(
        _("wait (s)"),
        default=0,
        help_text=_(
            "Wait in queue, until answer or exit: numerator of the average waiting time (SPEC §3)."
        ),
    )
    talk_seconds = models.PositiveIntegerField(
        _("talk (s)"),
        default=0,
        help_text=_("From answer to end: average talk time and average handling time (SPEC §3)."),
    )
    wrap_up_seconds = models.PositiveIntegerField(
        _("wrap-up (s)"),
        default=0,
        help_text=_(
            "After-call work: average handling time = (talk + wrap-up) / handled (SPEC §3)."
        ),
    )
    origin = models.CharField(
        _("origin"),
        max_length=12,
        choices=CallOrigin.choices,
        default=CallOrigin.DIRECT,
        help_text=_(
            "Inbound received, transfers and inbound overflows: denominators of the answer rate and of the wait (SPEC §3)."
        ),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=CallOutcome.choices,
        help_text=_(
            "Answered (numerator of the answer rate) or a correction term of the denominator (SPEC §3)."
        ),
    )
    widening = models.CharField(
        _("widening"),
        max_length=16,
        choices=Widening.choices,
        default=Widening.NONE,
        blank=True,
        help_text=_(
            "Handled in widening on this group (+) or on another group (−) in the denominator of the answer rate (SPEC §3)."
        ),
    )
    transferred_n1plus = models.BooleanField(
        _("transferred to N1+"), default=False, help_text=_("Transfer rate to N1+ (SPEC §3).")
    )
    n2_ticket = models.BooleanField(
        _("N2 ticket created"),
        default=False,
        help_text=_("Escalation to N2 through the portal (SPEC §1)."),
    )
    on_closure_calendar = models.BooleanField(
        _("presented on a closure calendar"),
        default=False,
        help_text=_("Numerator of the accessibility rate (SPEC §3)."),
    )
    during_exceptional_closure = models.BooleanField(
        _("during an exceptional closure"),
        default=False,
        db_default=False,
        help_text=_(
            "Presented while an exceptional-closure calendar was active: denominator of the accessibility rate (SPEC §3)."
        ),
    )
    technical_incident = models.BooleanField(
        _("technical incident"),
        default=False,
        help_text=_("Excluded from the accessibility rate (SPEC §3)."),
    )
    days_to_repeat = models.PositiveIntegerField(
        _("days to the next contact"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Paris days until the same caller called again for the same reason; empty when they did not. "
            "First-contact resolution without repeat (SPEC §4) counts calls whose value is empty or above N."
        ),
    )
    caller_hash = models.CharField(
        _("caller (pseudonymised)"),
        max_length=64,
        blank=True,
        help_text=_(
            "HMAC fingerprint of the caller's number, never the number in clear (SPEC §9); used for first-contact resolution by absence of call-back."
        ),
    )
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("advisor"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("site"),
    )
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("reason"),
        help_text=_(
            "Qualification; an answered call without a reason is allowed and counts in the qualification rate (SPEC §3)."
        ),
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "source_id"], name="call_natural_key")
        ]
        indexes = [
            models.Index(fields=["arrived_at"], name="call_arrived"),
            models.Index(fields=["day"], name="call_day"),
            models.Index(fields=["site", "day"], name="call_site_day"),
            models.Index(fields=["advisor", "day"], name="call_advisor_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.source_id}"

    @property
    def is_answered(self) -> bool:
        return self.outcome == CallOutcome.ANSWERED

    @property
    def is_qualified(self) -> bool:
        return self.reason_id is not None


class ContactForm(SourceRecord):
    LOCAL_DERIVED = {"received_day": ("received_at", "day"), "answered_day": ("answered_at", "day")}

    """A web contact form (SPEC §1; §3 forms indicators)."""

    received_at = models.DateTimeField(
        _("received at"),
        help_text=_("Denominator of the reply rate; backlog at the end of the period (SPEC §3)."),
    )
    answered_at = models.DateTimeField(
        _("replied at"),
        null=True,
        blank=True,
        help_text=_("Numerator of the reply rate (SPEC §3)."),
    )
    received_day = models.DateField(_("day received"), null=True, editable=False)
    answered_day = models.DateField(_("day replied"), null=True, editable=False)
    handling_seconds = models.PositiveIntegerField(_("handling (s)"), default=0)
    template_reply = models.CharField(_("template reply"), max_length=120, blank=True)
    topic = models.CharField(_("form topic"), max_length=120, blank=True)
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        verbose_name=_("advisor"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        verbose_name=_("site"),
    )
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        verbose_name=_("reason"),
    )

    class Meta:
        verbose_name = _("contact form")
        verbose_name_plural = _("contact forms")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "source_id"], name="form_natural_key")
        ]
        indexes = [
            models.Index(fields=["received_day"], name="form_received_day"),
            models.Index(fields=["answered_day"], name="form_answered_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.source_id}"


class FrontDeskVisit(SourceRecord):
    LOCAL_DERIVED = {"day": ("arrived_at", "day")}

    """A visit at a CPAM front desk (SPEC §1, 000 §2)."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=VisitKind.choices, default=VisitKind.WALK_IN
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    day = models.DateField(_("day"), null=True, editable=False, db_index=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("advisor"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="visits", verbose_name=_("site")
    )
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("reason"),
    )

    class Meta:
        verbose_name = _("front-desk visit")
        verbose_name_plural = _("front-desk visits")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "source_id"], name="visit_natural_key")
        ]


class Email(SourceRecord):
    LOCAL_DERIVED = {"day": ("received_at", "day")}

    """An e-mail received by the CPAM (SPEC §1)."""

    received_at = models.DateTimeField(_("received at"))
    day = models.DateField(_("day"), null=True, editable=False, db_index=True)
    answered_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("advisor"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("site"),
    )
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("reason"),
    )

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "source_id"], name="email_natural_key")
        ]


class Chat(SourceRecord):
    LOCAL_DERIVED = {"day": ("started_at", "day")}

    """A live-chat conversation (SPEC §1)."""

    started_at = models.DateTimeField(_("start"))
    day = models.DateField(_("day"), null=True, editable=False, db_index=True)
    answered_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chats",
        verbose_name=_("advisor"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chats",
        verbose_name=_("site"),
    )
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chats",
        verbose_name=_("reason"),
    )

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "source_id"], name="chat_natural_key")
        ]


class SurveyResponse(SourceRecord):
    """A post-contact satisfaction survey answer (SPEC §4): CSAT 1–5, resolved, CES 1–7, NPS 0–10.

    `contact_id` is the surveyed contact's identifier in its source; reason, site and advisor
    are copied from that contact when it is known, so satisfaction reads per reason.
    """

    LOCAL_DERIVED = {"day": ("answered_at", "day")}

    channel = models.CharField(_("channel"), max_length=16, choices=ChannelCode.choices)
    contact_id = models.CharField(_("contact identifier"), max_length=64)
    answered_at = models.DateTimeField(_("answered at"))
    day = models.DateField(_("day"), null=True, editable=False, db_index=True)
    csat = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(
        _("customer effort (1–7)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    nps = models.PositiveSmallIntegerField(
        _("recommendation (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True)
    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("advisor"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("site"),
    )
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("reason"),
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "source_id"], name="survey_natural_key"
            ),
            models.CheckConstraint(
                condition=models.Q(csat__isnull=True) | models.Q(csat__gte=1, csat__lte=5),
                name="survey_csat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(ces__isnull=True) | models.Q(ces__gte=1, ces__lte=7),
                name="survey_ces_range",
            ),
            models.CheckConstraint(
                condition=models.Q(nps__isnull=True) | models.Q(nps__lte=10),
                name="survey_nps_range",
            ),
        ]


class AdvisorState(LocalDaysMixin):
    """A span of time an advisor spent in one state (SPEC §3 availability rate, §5 productive hours).

    States do not overlap for one advisor: logged-in time is the sum of all of them, and
    availability rate = available / logged-in on phone activity. Which states count as
    productive hours is configuration of the contract app.
    """

    LOCAL_DERIVED = {"day": ("started_at", "day")}

    advisor = models.ForeignKey(
        Advisor, on_delete=models.PROTECT, related_name="states", verbose_name=_("advisor")
    )
    state = models.CharField(_("state"), max_length=12, choices=AdvisorStateKind.choices)
    started_at = models.DateTimeField(_("start"))
    day = models.DateField(_("day"), null=True, editable=False)
    ended_at = models.DateTimeField(_("end"))
    duration_seconds = models.PositiveIntegerField(_("duration (s)"))
    source_system = models.CharField(_("source system"), max_length=32)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("advisor state")
        verbose_name_plural = _("advisor states")
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "started_at", "state"], name="state_natural_key"
            )
        ]
        indexes = [
            models.Index(fields=["day"], name="state_day"),
            models.Index(fields=["started_at"], name="state_started"),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} {self.get_state_display()} {self.started_at:%d/%m %H:%M}"


class OpenAdvisorState(models.Model):
    """An advisor's state still open at the end of an imported queue_log, with its session
    (issue 17): not counted anywhere, kept until a later file of the same source closes it,
    which then stores it as an `AdvisorState` from its real start (docs/formats.md)."""

    source_system = models.CharField(_("source system"), max_length=32)
    agent = models.CharField(
        _("queue_log agent"), max_length=64, help_text=_("The agent as the queue_log names it.")
    )
    advisor_login = models.CharField(_("advisor login"), max_length=64)
    state = models.CharField(_("state"), max_length=12, choices=AdvisorStateKind.choices)
    started_at = models.DateTimeField(_("start"))
    as_of = models.DateTimeField(
        _("as of"), help_text=_("Last instant of the file that left the state open.")
    )
    queues = models.JSONField(_("queues"), default=list)
    logged_in = models.BooleanField(_("logged in"), default=False)
    paused = models.BooleanField(_("paused"), default=False)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("open advisor state")
        verbose_name_plural = _("open advisor states")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "agent"], name="open_state_agent")
        ]

    def __str__(self) -> str:
        return f"{self.advisor_login} {self.get_state_display()} {self.started_at:%d/%m %H:%M}"
