"""Reference data of the contact centre: sites, teams, advisors, channels, reasons,
opening hours and exceptional-closure calendars (SPEC §1, §3, §9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AdvisorStatus, ChannelCode, ContactFamily

# Contracted weekly hours an advisor may have: the French legal maximum is 48 hours in
# any one week (Code du travail L3121-20); under one hour a week is a typing error.
WEEKLY_HOURS_MIN = Decimal("1")
WEEKLY_HOURS_MAX = Decimal("48")


class Site(models.Model):
    """A production site; indicators are measured per site (SPEC §3)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=120, blank=True)
    # Deactivated rather than deleted: contacts and figures keep pointing at the site.
    is_active = models.BooleanField(_("active"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_sites",
        verbose_name=_("site managers"),
        help_text=_("Site managers see the contacts, teams and advisors of this site."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        # Holders see every site; others see what they lead or manage (organisation.selectors).
        permissions = [("view_all_sites", _("Can see every site, team and advisor"))]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of advisors led by a team leader, on one site."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="teams", verbose_name=_("site")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("team leader"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["site__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"


class Channel(models.Model):
    """A contact channel (SPEC §1)."""

    code = models.CharField(_("code"), max_length=16, choices=ChannelCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class ContactReason(models.Model):
    """One of the contact reasons every answered contact is qualified with (SPEC §1).

    The 17 reasons of the contract are loaded by a data migration; the client may add or
    retire reasons, so each has a validity range rather than being deleted.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=160)
    family = models.CharField(_("family"), max_length=16, choices=ContactFamily.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active_from = models.DateField(_("active from"), default=dt.date(2022, 2, 1))
    active_to = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("contact reason")
        verbose_name_plural = _("contact reasons")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": _("The end of validity precedes its start.")})

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class Advisor(models.Model):
    """A person who handles contacts. Nominative: never a shared or generic identity (SPEC §9).

    `login` is the identifier the telephony and the support portal use for this person
    (agent id, extension); imports resolve advisors through it.
    """

    login = models.CharField(_("telephony login"), max_length=64, unique=True)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor",
        verbose_name=_("user account"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="advisors", verbose_name=_("site")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisors",
        verbose_name=_("team"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=AdvisorStatus.choices, default=AdvisorStatus.ACTIVE
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    absent_from = models.DateField(_("absent from"), null=True, blank=True)
    absent_to = models.DateField(_("absent until"), null=True, blank=True)
    handles_phone = models.BooleanField(_("handles phone calls"), default=True)
    handles_forms = models.BooleanField(_("handles contact forms"), default=False)
    skills = models.ManyToManyField(
        ContactReason,
        blank=True,
        related_name="skilled_advisors",
        verbose_name=_("skills (contact reasons)"),
        help_text=_(
            "Contact reasons this advisor is trained to handle; phone and forms are the two channel skills above."
        ),
    )
    weekly_hours = models.DecimalField(
        _("weekly contracted hours"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(WEEKLY_HOURS_MIN), MaxValueValidator(WEEKLY_HOURS_MAX)],
        help_text=_(
            "Hours per week in the employment contract (1 to 48, the legal weekly maximum)."
        ),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        # Import the roster file (sites, teams, advisors) of the sites in one's scope.
        permissions = [("import_roster", _("Can import the roster"))]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        errors = {}
        if self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The leaving date precedes the joining date.")
        if self.absent_to and self.absent_from and self.absent_to < self.absent_from:
            errors["absent_to"] = _("The end of absence precedes its start.")
        if self.team_id and self.site_id and self.team.site_id != self.site_id:
            errors["team"] = _("The team does not belong to the advisor's site.")
        if errors:
            raise ValidationError(errors)


class OpeningHours(models.Model):
    """Opening hours per weekday (SPEC §1: Monday–Friday 08:30–17:30, metropolitan time)."""

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("channel")
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["channel", "weekday", "opens_at"]
        verbose_name = _("opening hours slot")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "weekday", "opens_at"], name="unique_opening_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Closing time must follow opening time.")})


class ClosureCalendar(models.Model):
    """An exceptional-closure calendar of the IVR; its calls feed the accessibility rate (SPEC §3)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("exceptional closure calendar")
        verbose_name_plural = _("exceptional closure calendars")

    def __str__(self) -> str:
        return self.name


class ExceptionalClosure(models.Model):
    """A closure of the service outside public holidays (strike, incident, training day...)."""

    calendar = models.ForeignKey(
        ClosureCalendar,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("calendar"),
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("exceptional closure")
        verbose_name_plural = _("exceptional closures")

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_at:%d/%m/%Y})"

    def clean(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must follow the start.")})


# --- leavers, long absences and the support portal's user list (SPEC §9; issue 12.5) -------


class LeaverDeactivation(models.Model):
    """A leaver's account closed, by the daily `process-leavers` or by the CSO (SPEC §9:
    "leavers' access removed within 3 working days"); kept for the security review."""

    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        related_name="account_closures",
        verbose_name=_("advisor"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="leaver_closures",
        verbose_name=_("user account"),
    )
    left_on = models.DateField(_("left on"))
    deadline = models.DateField(_("deadline"))
    closed_on = models.DateField(_("closed on"))
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        help_text=_("Empty when the daily command closed it."),
    )
    working_days_late = models.PositiveSmallIntegerField(_("working days late"), default=0)

    class Meta:
        ordering = ["-closed_at"]
        verbose_name = _("leaver's account closure")
        verbose_name_plural = _("leavers' account closures")
        permissions = [("review_accounts", _("Can review accounts of leavers and absentees"))]

    def __str__(self) -> str:
        return f"{self.advisor.login} {self.closed_on:%d/%m/%Y}"


class RightsSuspension(models.Model):
    """The roles (groups) taken from someone absent over 90 days (SPEC §9), kept so they
    are given back on return. Open while `restored_at` is empty; one open per account."""

    advisor = models.ForeignKey(
        Advisor,
        on_delete=models.PROTECT,
        related_name="rights_suspensions",
        verbose_name=_("advisor"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rights_suspensions",
        verbose_name=_("user account"),
    )
    groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="+", verbose_name=_("roles taken")
    )
    absent_from = models.DateField(_("absent from"))
    suspended_on = models.DateField(_("suspended on"))
    suspended_at = models.DateTimeField(_("suspended at"), default=timezone.now)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restored by"),
    )

    class Meta:
        ordering = ["-suspended_at"]
        verbose_name = _("rights suspension")
        verbose_name_plural = _("rights suspensions")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(restored_at__isnull=True),
                name="one_open_rights_suspension_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor.login} {self.suspended_on:%d/%m/%Y}"


class PortalUserExport(models.Model):
    """One export of the support portal's user list (SPEC §9: the contractor provides
    last name, first name and unique e-mail, and keeps it current). The ids exported are
    kept so that the next export can say who was added or removed since."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    file_format = models.CharField(_("format"), max_length=8)
    since_last = models.BooleanField(_("changes since the last export only"), default=False)
    user_ids = models.JSONField(_("accounts on the list"), default=list)
    added = models.PositiveIntegerField(_("added"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        verbose_name = _("support portal user export")
        verbose_name_plural = _("support portal user exports")
        permissions = [("export_portal_users", _("Can export the support portal's user list"))]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} ({self.file_format})"
