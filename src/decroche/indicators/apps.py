from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "decroche.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(
            _load_catalogue, sender=self, dispatch_uid="decroche.indicators.load_catalogue"
        )


def _load_catalogue(sender, using="default", **kwargs) -> None:
    """Every migrated database holds the shipped catalogue; only missing indicators are added."""
    from .services import catalogue_load

    catalogue_load()
