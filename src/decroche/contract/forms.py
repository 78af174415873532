"""Forms of the contract pages (orders, statement, target changes, interruptions, committees)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.calendar import add_working_days, last_complete_month, paris_today
from decroche.core.forms import DateInput, DsfrForm

from .choices import CommitteeKind, InterruptionCause, OrderKind, WorkUnit
from .importing import DATE_FORMATS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class OrderAnswerForm(DsfrForm):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Validate")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def _line_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def order_lines_parse(text: str) -> list[tuple[dt.date, int | None, Decimal]]:
    """One order line per text line: day; [hour;] quantity (separated by ; or tabs, as pasted
    from a spreadsheet). Errors name the line."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in raw.replace("\t", ";").split(";")]
        if not any(cells):
            continue
        if len(cells) not in (2, 3):
            raise forms.ValidationError(
                _("Line %(n)s: expected day; hour; quantity or day; quantity."),
                params={"n": number},
            )
        day = _line_date(cells[0])
        if day is None:
            raise forms.ValidationError(
                _("Line %(n)s: %(value)s is not a date (DD/MM/YYYY)."),
                params={"n": number, "value": cells[0]},
            )
        hour = None
        if len(cells) == 3 and cells[1]:
            try:
                hour = int(cells[1].removesuffix("h"))
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: %(value)s is not an hour (0 to 23)."),
                    params={"n": number, "value": cells[1]},
                ) from None
        try:
            quantity = Decimal(cells[-1].replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(
                _("Line %(n)s: %(value)s is not a quantity."),
                params={"n": number, "value": cells[-1]},
            ) from None
        lines.append((day, hour, quantity))
    if not lines:
        raise forms.ValidationError(_("Give at least one line."))
    return lines


def order_lines_text(order) -> str:
    """The order's lines in the form's text format, to amend them."""
    return "\n".join(
        f"{line.day:%d/%m/%Y};{'' if line.hour is None else line.hour};{line.quantity}"
        for line in order.lines.all()
    )


class OrderLinesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 12})

    def clean(self, value):
        return order_lines_parse(super().clean(value))


LINES_HELP = _(
    "One line per day, or per day and hour: 02/03/2026;9;68.5 (hour 9 = 9:00–10:00) or "
    "02/03/2026;;560 for the whole day. Productive hours for UO1/UO3, acts for UO2/UO4."
)


class OrderEntryForm(DsfrForm):
    period_start = forms.DateField(label=_("First working day of the period"), widget=DateInput())
    unit = forms.ChoiceField(label=_("Work unit"), choices=WorkUnit.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrderKind.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput(), initial=paris_today)
    lines = OrderLinesField(label=_("Lines"), help_text=LINES_HELP)


class OrderAmendForm(DsfrForm):
    lines = OrderLinesField(label=_("Lines"), help_text=LINES_HELP)
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=300)


class StatementForm(DsfrForm):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    invoice_phone = forms.DecimalField(
        label=_("Phone invoice (€)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    invoice_forms = forms.DecimalField(
        label=_("Contact-form invoice (€)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the invoices recorded for the month."),
    )


class ProposalForm(DsfrForm):
    notified_on = forms.DateField(label=_("Notified on"), widget=DateInput(), initial=paris_today)
    indicator_code = forms.SlugField(label=_("Indicator"), required=False)
    new_target = forms.CharField(
        label=_("New target"), max_length=32, required=False, help_text=_("e.g. >= 0.92")
    )
    service_level_code = forms.SlugField(label=_("Service level"), required=False)
    new_threshold = forms.DecimalField(
        label=_("New penalty threshold"), max_digits=10, decimal_places=4, required=False
    )
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ProposalAnswerForm(DsfrForm):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accept")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )


class InterruptionForm(DsfrForm):
    cause = forms.ChoiceField(label=_("Cause"), choices=InterruptionCause.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    started_at = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    ended_at = forms.DateTimeField(
        label=_("End"), widget=DateTimeInput(), required=False, help_text=_("Empty while it lasts.")
    )


def _monthly_committee_day() -> dt.date:
    """The first working day after the last complete month: its monthly committee's pack
    reviews that month."""
    following = (last_complete_month() + dt.timedelta(days=31)).replace(day=1)
    return add_working_days(following - dt.timedelta(days=1), 1)


class PackForm(DsfrForm):
    kind = forms.ChoiceField(
        label=_("Committee"), choices=CommitteeKind.choices, initial=CommitteeKind.MONTHLY
    )
    date = forms.DateField(
        label=_("Day of the committee"), widget=DateInput(), initial=_monthly_committee_day
    )


class SecurityReviewForm(DsfrForm):
    date = forms.DateField(label=_("Day of the review"), widget=DateInput())


class MeetingForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Committee"), choices=CommitteeKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)


class AmendmentForm(DsfrForm):
    amendment = forms.CharField(label=_("Remarks and amendment"), widget=forms.Textarea)
