"""Training programmes, sessions, attendance, certificates and their evaluation (issue 13, SPEC §8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "decroche.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from .bindings import training_sources_register

        training_sources_register()
