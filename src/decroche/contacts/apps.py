import functools

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

IMPORT_KINDS = {
    "calls": "calls (CSV or XLSX, docs/formats.md)",
    "forms": "contact forms",
    "agent-states": "advisor states",
    "queue-log": "an Asterisk or Wazo queue_log",
}


class ContactsConfig(AppConfig):
    name = "decroche.contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from decroche.core.imports import ImportKind, import_kind_register

        from .services import contacts_import

        for name, description in IMPORT_KINDS.items():
            import_kind_register(
                ImportKind(name, description, functools.partial(contacts_import, kind=name))
            )
