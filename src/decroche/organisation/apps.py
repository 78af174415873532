from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "decroche.organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from decroche.core.imports import ImportKind, import_kind_register

        from .services import roster_import, roster_preview

        import_kind_register(
            ImportKind(
                "roster",
                "sites, teams and advisors, one row per advisor (docs/formats.md, Roster)",
                roster_import,
                preview=roster_preview,
            )
        )
