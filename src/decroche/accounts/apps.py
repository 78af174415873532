from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "decroche.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (connects the sign-in audit receivers)
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="decroche.accounts.sync_roles")
