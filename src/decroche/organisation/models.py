"""Reference data of the contact centre: sites, teams, advisors, channels, reasons,
opening hours and exceptional-closure calendars (SPEC §1, §3, §9)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AdvisorStatus, ChannelCode, ContactFamily


class Site(models.Model):
    """A production site; indicators are measured per site (SPEC §3)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    city = models.CharField(_("ville"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of advisors led by a team leader, on one site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams", verbose_name=_("site"))
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("responsable d'équipe"),
    )

    class Meta:
        ordering = ["site__name", "name"]
        verbose_name = _("équipe")
        verbose_name_plural = _("équipes")

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"


class Channel(models.Model):
    """A contact channel (SPEC §1)."""

    code = models.CharField(_("code"), max_length=16, choices=ChannelCode.choices, unique=True)
    name = models.CharField(_("nom"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("canal")
        verbose_name_plural = _("canaux")

    def __str__(self) -> str:
        return self.name


class ContactReason(models.Model):
    """One of the contact reasons every answered contact is qualified with (SPEC §1).

    The 17 reasons of the contract are loaded by a data migration; the client may add or
    retire reasons, so each has a validity range rather than being deleted.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("libellé"), max_length=160)
    family = models.CharField(_("famille"), max_length=16, choices=ContactFamily.choices)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active_from = models.DateField(_("actif du"), default=dt.date(2022, 2, 1))
    active_to = models.DateField(_("actif jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("motif de contact")
        verbose_name_plural = _("motifs de contact")

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": _("La fin de validité précède son début.")})

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class Advisor(models.Model):
    """A person who handles contacts. Nominative: never a shared or generic identity (SPEC §9).

    `login` is the identifier the telephony and the support portal use for this person
    (agent id, extension); imports resolve advisors through it.
    """

    login = models.CharField(_("identifiant téléphonie"), max_length=64, unique=True)
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("courriel"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor",
        verbose_name=_("compte utilisateur"),
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="advisors", verbose_name=_("site"))
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="advisors", verbose_name=_("équipe")
    )
    status = models.CharField(_("statut"), max_length=8, choices=AdvisorStatus.choices, default=AdvisorStatus.ACTIVE)
    joined_on = models.DateField(_("arrivé le"))
    left_on = models.DateField(_("parti le"), null=True, blank=True)
    absent_from = models.DateField(_("absent du"), null=True, blank=True)
    absent_to = models.DateField(_("absent jusqu'au"), null=True, blank=True)
    handles_phone = models.BooleanField(_("traite le téléphone"), default=True)
    handles_forms = models.BooleanField(_("traite les formulaires"), default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("conseiller")
        verbose_name_plural = _("conseillers")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        errors = {}
        if self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("La date de départ précède la date d'arrivée.")
        if self.absent_to and self.absent_from and self.absent_to < self.absent_from:
            errors["absent_to"] = _("La fin d'absence précède son début.")
        if self.team_id and self.site_id and self.team.site_id != self.site_id:
            errors["team"] = _("L'équipe n'appartient pas au site du conseiller.")
        if errors:
            raise ValidationError(errors)


class OpeningHours(models.Model):
    """Opening hours per weekday (SPEC §1: Monday–Friday 08:30–17:30, metropolitan time)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("canal"))
    weekday = models.PositiveSmallIntegerField(
        _("jour"), choices=[(0, _("lundi")), (1, _("mardi")), (2, _("mercredi")), (3, _("jeudi")), (4, _("vendredi")), (5, _("samedi")), (6, _("dimanche"))]
    )
    opens_at = models.TimeField(_("ouverture"))
    closes_at = models.TimeField(_("fermeture"))

    class Meta:
        ordering = ["channel", "weekday", "opens_at"]
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        constraints = [models.UniqueConstraint(fields=["channel", "weekday", "opens_at"], name="unique_opening_slot")]

    def __str__(self) -> str:
        return f"{self.channel} {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("La fermeture doit suivre l'ouverture.")})


class ClosureCalendar(models.Model):
    """An exceptional-closure calendar of the IVR; its calls feed the accessibility rate (SPEC §3)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("calendrier de fermeture exceptionnelle")
        verbose_name_plural = _("calendriers de fermeture exceptionnelle")

    def __str__(self) -> str:
        return self.name


class ExceptionalClosure(models.Model):
    """A closure of the service outside public holidays (strike, incident, training day...)."""

    calendar = models.ForeignKey(ClosureCalendar, on_delete=models.CASCADE, related_name="closures", verbose_name=_("calendrier"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_at:%d/%m/%Y})"

    def clean(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("La fin doit suivre le début.")})
