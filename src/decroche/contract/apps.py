from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractConfig(AppConfig):
    name = "decroche.contract"
    verbose_name = _("Contract")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from decroche.core.imports import ImportKind, import_kind_register

        from .importing import orders_import

        import_kind_register(
            ImportKind(
                "orders", "the Cnam's orders of hours or acts (docs/formats.md)", orders_import
            )
        )

        post_migrate.connect(
            _load_service_levels, sender=self, dispatch_uid="decroche.contract.load_service_levels"
        )


def _load_service_levels(sender, using="default", **kwargs) -> None:
    """Every migrated database holds the contract's service levels; only missing ones are added."""
    from .services import service_levels_load

    service_levels_load()
