"""The contract settings pages (issue 18 point 10): read and change the one settings row
(start of activity, grace period, productive states, interruption limit; SPEC §5, §6).
The contract manager changes them; auditors and every holder of `view_contractsettings`
read them. Writes go through `services.contract_settings_update`, which audits."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DateInput, DsfrForm

from .models import ContractSettings
from .selectors import contract_settings
from .services import contract_settings_update


def _states(value) -> str:
    return ", ".join(value)


class StatesField(forms.CharField):
    """Advisor states as a comma-separated list (the telephony's state codes)."""

    def prepare_value(self, value):
        return _states(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        states = [state.strip() for state in (value or "").split(",") if state.strip()]
        if not states:
            raise ValidationError(_("Name at least one state."))
        return states


class ContractSettingsForm(DsfrForm, forms.ModelForm):
    phone_productive_states = StatesField(
        label=_("productive states on the phone"),
        help_text=_("Advisor states counted as phone productive hours (UO1), separated by commas."),
    )
    form_productive_states = StatesField(
        label=_("productive states on contact forms"),
        help_text=_(
            "Advisor states counted as contact-form productive hours (UO3), separated by commas."
        ),
    )

    class Meta:
        model = ContractSettings
        fields = [
            "activity_start",
            "grace_months",
            "phone_productive_states",
            "form_productive_states",
            "interruption_limit_hours",
        ]
        widgets = {"activity_start": DateInput()}


@permission_required("contract.view_contractsettings", raise_exception=True)
def settings_detail(request: HttpRequest) -> HttpResponse:
    current = contract_settings()
    lines = [
        (ContractSettings._meta.get_field(name).verbose_name, value)
        for name, value in (
            ("activity_start", current.activity_start),
            ("grace_months", current.grace_months),
            ("phone_productive_states", _states(current.phone_productive_states)),
            ("form_productive_states", _states(current.form_productive_states)),
            ("interruption_limit_hours", current.interruption_limit_hours),
        )
    ]
    context = {
        "title": _("Contract settings"),
        "lines": lines,
        "may_change": request.user.has_perm("contract.change_contractsettings"),
    }
    return render(request, "contract/settings_detail.html", context)


@permission_required("contract.change_contractsettings", raise_exception=True)
def settings_edit(request: HttpRequest) -> HttpResponse:
    form = ContractSettingsForm(request.POST or None, instance=contract_settings())
    if request.method == "POST" and form.is_valid():
        try:
            contract_settings_update(
                user=request.user, **{name: form.cleaned_data[name] for name in form.changed_data}
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("contract-settings")
    context = {"title": _("Change the contract settings"), "form": form}
    return render(request, "contract/settings_form.html", context)
