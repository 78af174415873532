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

from .choices import AggressivenessForm, CheckInKind, FollowUpKind, Place, Severity
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

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["victim", "kind"], name="wellbeing_check_in_once")
        ]

    def __str__(self) -> str:
        return f"{self.victim} / {self.kind}"
