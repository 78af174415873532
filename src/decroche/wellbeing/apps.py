from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "decroche.wellbeing"
    verbose_name = _("Wellbeing")

    def ready(self) -> None:
        from decroche.training.selectors import before_after_register

        from .trends import incidents_before_after

        # The session page of training shows the trainees' incidents (issue 13 point 6).
        before_after_register(incidents_before_after)
