"""Forms of the quality pages: an evaluation built from its grid version, a dispute."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GridSection
from .services import AnswerInput


class EvaluationForm(forms.Form):
    """One radio group and one comment per question of the grid version."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sections: list[GridSection], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            for question in section.questions.all():
                self.fields[f"q_{question.code}"] = forms.ChoiceField(
                    label=question.label,
                    help_text=question.help_text,
                    choices=[(o.code, o.label) for o in question.options.all()],
                    widget=forms.RadioSelect,
                )
                self.fields[f"c_{question.code}"] = forms.CharField(
                    label=_("Comment"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def grouped(self) -> list[tuple[GridSection, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """The bound fields by section, each question beside its comment, for the template."""
        return [
            (
                section,
                [(self[f"q_{q.code}"], self[f"c_{q.code}"]) for q in section.questions.all()],
            )
            for section in self.sections
        ]

    def answers(self) -> dict[str, AnswerInput]:
        return {
            name[2:]: AnswerInput(value, self.cleaned_data.get(f"c_{name[2:]}", ""))
            for name, value in self.cleaned_data.items()
            if name.startswith("q_")
        }


class DisputeForm(forms.Form):
    question = forms.ChoiceField(label=_("Disputed item"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, questions: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("The whole evaluation")), *questions]
