"""The incident register and the support after a difficult event (issue 14; SPEC §8, §9).

Confidentiality by design: the author of the event is minimised (a contact reference at
most, never health data); health-related notes are encrypted at rest (`crypto`) and shown
only to the occupational-health referent and the agent concerned; every read of a report
is recorded in the access history (`services.read_report`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    Adjustment,
    AggressivenessForm,
    CheckInKind,
    DebriefKind,
    FollowUpKind,
    Frequency,
    Place,
    ReferralTo,
    RitualKind,
    Severity,
    Weekday,
)
from .crypto import EncryptedTextField


class IncidentReport(models.Model):
    """One continuous event, reported in a few fields."""

    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    site = models.ForeignKey(
        "organisation.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    place = models.CharField(_("place or channel"), max_length=32, choices=Place.choices)
    reason = models.ForeignKey(
        "organisation.ContactReason",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact reason"),
    )
    trigger = models.CharField(_("known trigger"), max_length=255, blank=True)
    description = models.TextField(_("factual description, with the words used"))
    types = models.JSONField(_("types"), default=list)
    aggressiveness = models.CharField(
        _("form of aggressiveness"),
        max_length=16,
        choices=AggressivenessForm.choices,
        blank=True,
        default="",
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    contact_reference = models.CharField(
        _("contact reference of the author"),
        max_length=64,
        blank=True,
        help_text=_("A file or contact reference at most: never the user's health data."),
    )
    call = models.ForeignKey(
        "contacts.Call",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("call"),
    )
    immediate_actions = models.JSONField(_("immediate actions"), default=list, blank=True)
    consequences = models.JSONField(_("consequences"), default=list, blank=True)
    health_note = EncryptedTextField(
        _("health-related note"),
        blank=True,
        help_text=_("Seen only by the occupational-health referent and the agent."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        permissions = [
            ("report_incident", _("Can report an incident")),
            ("view_team_incidents", _("Can see the facts and actions of their team's reports")),
            ("view_health_notes", _("Can read health-related notes (occupational health)")),
            ("view_incident_statistics", _("Can see anonymous incident statistics")),
            ("view_all_incidents", _("Can see the facts of every report (prevention)")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Victim(models.Model):
    """An agent affected by the event, with their own statement."""

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="victims")
    advisor = models.ForeignKey(
        "organisation.Advisor", on_delete=models.PROTECT, related_name="+", verbose_name=_("agent")
    )
    statement = models.TextField(_("statement"), blank=True)
    health_note = EncryptedTextField(_("health-related note"), blank=True)
    shares_with_manager = models.BooleanField(
        _("shares their statement with the manager"), default=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "advisor"], name="wellbeing_victim_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} / {self.advisor_id}"


class Witness(models.Model):
    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="witnesses")
    advisor = models.ForeignKey(
        "organisation.Advisor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    statement = models.TextField(_("statement"), blank=True)

    def __str__(self) -> str:
        return f"{self.report} / witness {self.pk}"


class FollowUp(models.Model):
    """An item of what follows the event, with its due date on working days (rules)."""

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("item"), max_length=32, choices=FollowUpKind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="wellbeing_follow_up_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} / {self.kind}"


class CheckIn(models.Model):
    """A manager's check-in with an affected agent (day 0, 1–3, 7, 30)."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="check_ins")
    kind = models.CharField(_("check-in"), max_length=16, choices=CheckInKind.choices)
    opens_on = models.DateField(_("from"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    signs = models.JSONField(_("observable signs"), default=list, blank=True)
    referral_proposed = models.BooleanField(_("referral proposed"), default=False)
    referral_consent = models.BooleanField(_("the agent agreed to the referral"), default=False)
    adjustments = models.JSONField(_("work adjustments"), default=list, blank=True)
    return_plan = models.TextField(
        _("return-to-position plan"),
        blank=True,
        help_text=_("Steps and dates of the return to the position: organisation, not care."),
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["victim", "kind"], name="wellbeing_check_in_once")
        ]

    def __str__(self) -> str:
        return f"{self.victim} / {self.kind}"

    def adjustment_labels(self) -> list[str]:
        labels = dict(Adjustment.choices)
        return [str(labels.get(code, code)) for code in self.adjustments]


class Debrief(models.Model):
    """A debrief held after the event (issue 14 §3): individual (about one affected agent),
    collective, or the team's operational feedback session. Operational by design: no
    health field; seen by the manager and the prevention officer, and by the agent for the
    individual debrief about them (`selectors.debriefs_visible_to`)."""

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="debriefs")
    kind = models.CharField(_("debrief"), max_length=16, choices=DebriefKind.choices)
    victim = models.ForeignKey(
        Victim,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="debriefs",
        verbose_name=_("agent concerned"),
    )
    held_on = models.DateField(_("held on"))
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("led by"),
    )
    participants = models.PositiveSmallIntegerField(_("participants"), default=1)
    what_happened = models.TextField(_("what happened"), blank=True)
    what_protected = models.TextField(_("what protected us"), blank=True)
    what_to_change = models.TextField(_("what we change"), blank=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")

    def __str__(self) -> str:
        return f"{self.report} / {self.kind} {self.held_on}"


class Referral(models.Model):
    """A referral to occupational health, the support unit or a psychologist, with the
    agent's consent recorded: yes or no, on which day, recorded by whom (issue 14 §3)."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="referrals")
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    to = models.CharField(_("referred to"), max_length=24, choices=ReferralTo.choices)
    consent = models.BooleanField(_("the agent consents"))
    consent_on = models.DateField(_("consent given or refused on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-consent_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.victim} / {self.to}"


class TeamRitual(models.Model):
    """A managerial ritual of one team with its recurrence (issue 14 §3; SPEC §8): every
    week on a weekday, or every month on the n-th weekday; dates in `rules.ritual_dates`."""

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    kind = models.CharField(_("ritual"), max_length=24, choices=RitualKind.choices)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    week_of_month = models.PositiveSmallIntegerField(
        _("week of the month"),
        null=True,
        blank=True,
        help_text=_("Monthly rituals: 1 for the first such weekday of the month, up to 4."),
    )
    starts_at = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)

    class Meta:
        ordering = ["team__name", "kind"]
        verbose_name = _("managerial ritual")
        verbose_name_plural = _("managerial rituals")
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="wellbeing_ritual_once")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} / {self.kind}"


class RitualSession(models.Model):
    """A ritual held on a given day (the "held on" record): a count, no names."""

    ritual = models.ForeignKey(TeamRitual, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    participants = models.PositiveSmallIntegerField(_("participants"), default=0)
    notes = models.TextField(_("topics raised"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ritual", "held_on"], name="wellbeing_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.ritual} / {self.held_on}"
