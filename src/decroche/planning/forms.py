"""Forms of the planning pages (SPEC §1, §2, §6): the forecast, the planner's events and
the client's forecast, the order proposal, the schedules page (the period and the
flexibility rules of SPEC §6) and the week of the resources dashboard (SPEC §3). The contact-forms staffing is ``forms_backlog``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.calendar import add_working_days, paris_today
from decroche.core.forms import DateInput, DsfrForm
from decroche.organisation.selectors import sites_visible_to

from .models import ClientForecast, ForecastEvent
from .schedule_services import MAX_DAYS
from .schedules import ShiftRules

MAX_FORECAST_DAYS = 92  # one quarter: the forecast is recomputed on each page view
DEFAULT_WORKING_DAYS = 10
DEFAULTS = ShiftRules()  # the schedules page's initial rules


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


def default_forecast_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The next ten working days after ``today``."""
    first = add_working_days(today or paris_today(), 1)
    return first, add_working_days(first, DEFAULT_WORKING_DAYS - 1)


class ForecastRangeForm(DsfrForm):
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last day cannot come before the first day."))
            if (end - start).days >= MAX_FORECAST_DAYS:
                raise forms.ValidationError(
                    _("At most %(days)d days at a time.") % {"days": MAX_FORECAST_DAYS}
                )
        return data


class ForecastEventForm(DsfrForm, forms.ModelForm):
    """Validated again by `services.forecast_event_create` (model `clean`)."""

    class Meta:
        model = ForecastEvent
        fields = ["name", "kind", "channel", "start", "end", "uplift", "note"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class ClientForecastForm(DsfrForm, forms.ModelForm):
    """A month's volume; an existing month and channel is replaced, not refused."""

    class Meta:
        model = ClientForecast
        fields = ["month", "channel", "volume", "received_on"]
        widgets = {"month": MonthInput(), "received_on": DateInput()}
        help_texts = {"month": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].input_formats = ["%Y-%m", "%Y-%m-%d"]

    def clean_month(self) -> dt.date:
        return self.cleaned_data["month"].replace(day=1)

    def clean(self):
        data = super().clean()
        # The month already given is validated as the row `client_forecast_set` replaces,
        # so the month-and-channel constraint does not refuse it.
        existing = ClientForecast.objects.filter(
            month=data.get("month"), channel=data.get("channel")
        ).first()
        if existing is not None:
            self.instance = existing
        return data


class ProposalForm(DsfrForm):
    committee = forms.DateField(label=_("Committee date"), widget=DateInput())
    shrinkage = forms.IntegerField(
        label=_("Shrinkage (%)"),
        initial=0,
        min_value=0,
        max_value=99,
        help_text=_("Share of paid time off the phones, for the hours to schedule."),
    )


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _hours(label, initial, help_text="", maximum=60):
    return forms.DecimalField(
        label=label,
        initial=initial,
        min_value=0,
        max_value=maximum,
        max_digits=4,
        decimal_places=1,
        help_text=help_text,
    )


def _percent(label, help_text):
    return forms.IntegerField(
        label=label, initial=0, min_value=0, max_value=99, help_text=help_text
    )


class ScheduleForm(DsfrForm):
    start = forms.DateField(label=_("First day"), widget=DateInput())
    days = forms.IntegerField(label=_("Working days"), initial=10, min_value=1, max_value=MAX_DAYS)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=None, required=False, empty_label=_("Every site")
    )
    min_daily_hours = _hours(_("Minimum daily hours"), DEFAULTS.min_daily_hours, maximum=9)
    max_daily_hours = _hours(_("Maximum daily hours"), DEFAULTS.max_daily_hours, maximum=9)
    lunch_after_hours = _hours(
        _("Lunch break beyond (hours of work)"), DEFAULTS.lunch_after_hours, maximum=9
    )
    lunch_window_start = forms.TimeField(
        label=_("Lunch window from"), initial=DEFAULTS.lunch_window_start, widget=TimeInput()
    )
    lunch_window_end = forms.TimeField(
        label=_("Lunch window to"), initial=DEFAULTS.lunch_window_end, widget=TimeInput()
    )
    min_lunch_minutes = forms.IntegerField(
        label=_("Minimum lunch (minutes)"),
        initial=DEFAULTS.min_lunch_minutes,
        min_value=30,
        max_value=120,
    )
    max_lunch_minutes = forms.IntegerField(
        label=_("Maximum lunch (minutes)"),
        initial=DEFAULTS.max_lunch_minutes,
        min_value=30,
        max_value=120,
    )
    weekly_hours_min = _hours(_("Minimum weekly hours"), DEFAULTS.weekly_hours_min)
    weekly_hours_max = _hours(_("Maximum weekly hours"), DEFAULTS.weekly_hours_max)
    annualised_tolerance_hours = _hours(
        _("Annualised hours: weekly tolerance (hours)"),
        DEFAULTS.annualised_tolerance_hours,
        _(
            "Flexible weeks: each week may go this far below the minimum or above the maximum, "
            "the period staying within its bounds."
        ),
        maximum=20,
    )
    destaffing_share = _percent(
        _("De-staffing on the day (%)"),
        _("Share of each day's planned hours that can be released on the day (incident)."),
    )
    reinforcement_share = _percent(
        _("Reinforcing at D+1 (%)"),
        _("Share of planned hours that can be added on any day (campaign)."),
    )
    shrinkage = _percent(
        _("Shrinkage (%)"), _("Share of paid time off the phones (breaks, meetings).")
    )
    time_limit = forms.IntegerField(
        label=_("Computing time limit (s)"), initial=30, min_value=5, max_value=60
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_visible_to(user)
        self.fields["start"].initial = _next_monday()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["rules"] = ShiftRules(
                min_daily_hours=float(data["min_daily_hours"]),
                max_daily_hours=float(data["max_daily_hours"]),
                lunch_after_hours=float(data["lunch_after_hours"]),
                lunch_window_start=data["lunch_window_start"],
                lunch_window_end=data["lunch_window_end"],
                min_lunch_minutes=data["min_lunch_minutes"],
                max_lunch_minutes=data["max_lunch_minutes"],
                weekly_hours_min=float(data["weekly_hours_min"]),
                weekly_hours_max=float(data["weekly_hours_max"]),
                annualised_tolerance_hours=float(data["annualised_tolerance_hours"]),
                destaffing_share=data["destaffing_share"] / 100,
                reinforcement_share=data["reinforcement_share"] / 100,
            )
        except ValueError as error:
            # The rules' checks speak English to developers; the user reads one sentence.
            raise forms.ValidationError(
                _(
                    "Inconsistent rules: check that minimums do not exceed maximums, that "
                    "times fall on a half-hour and that a day's hours fit in the opening hours."
                )
            ) from error
        return data


def _next_monday() -> dt.date:
    today = paris_today()
    return today + dt.timedelta(days=7 - today.weekday())


class WeekForm(DsfrForm):
    """The week of the resources dashboard."""

    day = forms.DateField(
        label=_("Week of"), required=False, widget=DateInput(), help_text=_("Any day of the week.")
    )
