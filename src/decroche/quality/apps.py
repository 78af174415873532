from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "decroche.quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from decroche.core.imports import ImportKind, import_kind_register

        from .bindings import quality_sources_register
        from .importing import evaluations_import, tickets_import

        quality_sources_register()
        import_kind_register(
            ImportKind("n2-tickets", "N2 escalation tickets (docs/formats.md)", tickets_import)
        )
        import_kind_register(
            ImportKind(
                "quality-evaluations",
                "evaluations done in another tool (docs/formats.md)",
                evaluations_import,
            )
        )

        post_migrate.connect(_load_grids, sender=self, dispatch_uid="decroche.quality.load_grids")


def _load_grids(sender, using="default", **kwargs) -> None:
    """Every migrated database holds the contractor's default grids (only missing ones)."""
    from .services import grids_load

    grids_load()
