from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "decroche.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from decroche.contacts.signals import contacts_imported

        post_migrate.connect(
            _load_catalogue, sender=self, dispatch_uid="decroche.indicators.load_catalogue"
        )
        post_migrate.connect(_install_triggers, dispatch_uid="decroche.indicators.triggers")
        contacts_imported.connect(
            _refresh_summary, dispatch_uid="decroche.indicators.refresh_summary_after_import"
        )


def _refresh_summary(sender, batch_id: int, changed_days=None, **kwargs) -> None:
    """The dashboards' daily summary follows every completed import (only the days touched)."""
    from .services import refresh_summary_after_import

    refresh_summary_after_import(batch_id, changed_days)


def _load_catalogue(sender, using="default", **kwargs) -> None:
    """Every migrated database holds the shipped catalogue; only missing indicators are added."""
    from .services import catalogue_load

    catalogue_load()


def _install_triggers(sender, using="default", plan=None, **kwargs) -> None:
    """After every `migrate` (any app: on SQLite, rebuilding a contact table drops its
    triggers), the dirty-day triggers are there once the dirty-days table is."""
    from django.db import connections

    from .triggers import DIRTY_TABLE, install

    connection = connections[using]
    if DIRTY_TABLE in connection.introspection.table_names():
        install(connection)
