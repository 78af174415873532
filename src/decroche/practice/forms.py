"""Forms of the practice pages (issue 15)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CRITERION_LABELS, EvidenceKind
from .models import Criterion


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )


class ReflectionForm(forms.Form):
    self_assessment = forms.CharField(
        label=_("Self-assessment: what went well, what was hard"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    action_plan = forms.CharField(
        label=_("Personal action plan: what you will do differently"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class ReviewForm(forms.Form):
    """One score and one comment per criterion the rules scored in the run."""

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            code = criterion["code"]
            self.fields[f"score_{code}"] = forms.IntegerField(
                label=CRITERION_LABELS.get(code, code),
                initial=criterion["score"],
                min_value=-20,
                max_value=20,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000
            )

    def rows(self):
        return [
            (c, self[f"score_{c['code']}"], self[f"comment_{c['code']}"]) for c in self.criteria
        ]

    def scores(self) -> dict[str, int]:
        return {c["code"]: self.cleaned_data[f"score_{c['code']}"] for c in self.criteria}

    def comments(self) -> dict[str, str]:
        return {c["code"]: self.cleaned_data[f"comment_{c['code']}"] for c in self.criteria}


class AssessmentCreateForm(forms.Form):
    """The jury assigns a candidate to two evaluators (issue 15 §5)."""

    candidate = forms.CharField(label=_("Candidate (login)"), max_length=150)
    evaluator_a = forms.CharField(label=_("First evaluator (login)"), max_length=150)
    evaluator_b = forms.CharField(label=_("Second evaluator (login)"), max_length=150)

    def clean(self):
        data = super().clean()
        users = get_user_model().objects.filter(is_active=True)
        for key in ("candidate", "evaluator_a", "evaluator_b"):
            if key in data:
                user = users.filter(username=data[key]).first()
                if user is None:
                    self.add_error(key, _("No active account with this login."))
                else:
                    data[key] = user
        for key in ("evaluator_a", "evaluator_b"):
            user = data.get(key)
            if hasattr(user, "has_perm") and not user.has_perm("practice.evaluate_competencies"):
                self.add_error(key, _("This account may not evaluate competencies."))
        return data


class EvidenceForm(forms.Form):
    """One evidence record (issue 15 §4): the criterion, what showed it, and, for a
    correction, the record it corrects."""

    criterion = forms.ModelChoiceField(label=_("Observable criterion"), queryset=None)
    kind = forms.ChoiceField(label=_("What showed it"), choices=EvidenceKind.choices)
    run = forms.ModelChoiceField(
        label=_("Role-play run of the candidate"), queryset=None, required=False
    )
    quality_evaluation = forms.ModelChoiceField(
        label=_("Quality evaluation of the candidate"), queryset=None, required=False
    )
    reference = forms.CharField(
        label=_("Reference (interaction observed, file)"),
        help_text=_("For example: call of 3 March at 10:40, file 2026-0412."),
        max_length=200,
        required=False,
    )
    note = forms.CharField(
        label=_("Note: what was observed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    corrects = forms.TypedChoiceField(
        label=_("Corrects the record"),
        help_text=_("A record is never changed: a correction is a new record."),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, assessment, runs, evaluations, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(
            competency__block__framework=assessment.framework
        ).order_by("competency__block__number", "competency__code", "code")
        self.fields["run"].queryset = runs
        self.fields["run"].label_from_instance = lambda run: (
            f"{run.scenario.title} — {timezone.localtime(run.finished_at):%d/%m/%Y %H:%M}"
        )
        self.fields["quality_evaluation"].queryset = evaluations
        self.fields["quality_evaluation"].label_from_instance = lambda evaluation: (
            f"{evaluation.contact_day:%d/%m/%Y} — {evaluation.get_evaluated_object_display()}"
        )
        self.records = {record.pk: record for record in records if not record.superseded}
        self.fields["corrects"].choices = [("", "—")] + [
            (pk, f"n° {pk} — {record.criterion.code} — {record.get_kind_display()}")
            for pk, record in self.records.items()
        ]

    def clean_corrects(self):
        pk = self.cleaned_data["corrects"]
        return None if pk is None else self.records[pk]
