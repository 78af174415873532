"""Planning data entered by people: the planner's events and the client's monthly forecast
(SPEC §1, §2, §6). The forecast itself is computed (`forecast`); a fitted one is kept in
`ForecastCache` under the digest of its inputs, so it is fitted once per change of them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import forecast
from ..choices import EventKind, ForecastChannel


class ForecastEvent(models.Model):
    """An event the planner expects to move volumes, applied multiplicatively (SPEC §1)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    channel = models.CharField(
        _("channel"), max_length=8, choices=ForecastChannel.choices, default=ForecastChannel.CALLS
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    uplift = models.DecimalField(
        _("uplift"),
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(-0.99), MaxValueValidator(9)],
        help_text=_(
            "Fraction: 0.40 for 40% more contacts. For a deterrence message, the points "
            "removed from the out-of-scope share of calls: 0.20 for 20 points."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["start", "name"]
        verbose_name = _("forecast event")
        verbose_name_plural = _("forecast events")

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The last day cannot come before the first day.")
        if self.kind == EventKind.DETERRENCE:
            if self.channel != ForecastChannel.CALLS:
                errors["channel"] = _("A deterrence message is played on the phone line.")
            if self.uplift is not None and not 0 < self.uplift <= 1:
                errors["uplift"] = _(
                    "Deterrence points must be between 0 and 1 (0.20 = 20 points)."
                )
        if errors:
            raise ValidationError(errors)

    def as_event(self) -> forecast.Event:
        return forecast.Event(self.kind, self.channel, self.start, self.end, float(self.uplift))


class ClientForecast(models.Model):
    """The client's forecast volume of one month and channel (SPEC §2, §6: the Cnam sends
    its contact forecast before each committee; annex 1 gives monthly volumes)."""

    month = models.DateField(_("month"), help_text=_("First day of the month."))
    channel = models.CharField(_("channel"), max_length=8, choices=ForecastChannel.choices)
    volume = models.PositiveIntegerField(_("volume"))
    received_on = models.DateField(_("received on"), null=True, blank=True)

    class Meta:
        ordering = ["month", "channel"]
        verbose_name = _("client forecast")
        verbose_name_plural = _("client forecasts")
        constraints = [
            models.UniqueConstraint(fields=["month", "channel"], name="client_forecast_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.channel}: {self.volume}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Give the first day of the month.")})


class ForecastCache(models.Model):
    """A volume forecast already fitted, keyed by the digest of everything it was fitted on
    (``planning.forecast_cache``): the history's fingerprint, the events, the client's
    volumes and the parameters. A change of any input gives another digest, so an entry is
    never stale; old entries are pruned, never trusted by age."""

    digest = models.CharField(_("inputs digest"), max_length=64, unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    payload = models.BinaryField(_("forecast arrays"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fitted forecast")
        verbose_name_plural = _("fitted forecasts")

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y} ({self.digest[:12]})"
