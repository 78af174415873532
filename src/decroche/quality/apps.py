from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "decroche.quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .bindings import quality_sources_register

        quality_sources_register()

        post_migrate.connect(_load_grids, sender=self, dispatch_uid="decroche.quality.load_grids")


def _load_grids(sender, using="default", **kwargs) -> None:
    """Every migrated database holds the contractor's default grids (only missing ones)."""
    from .services import grids_load

    grids_load()
