"""The Django admin, opened by permission rather than by the `is_staff` flag.

Roles are groups with named permissions (accounts.roles); the admin shows each person
exactly the models their permissions allow, so there is no second flag to keep in sync
with the roles (SPEC §9: access rights follow the role).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class DecrocheAdminSite(admin.AdminSite):
    site_header = _("Décroché — administration")
    site_title = _("Décroché")
    index_title = _("Reference data and accounts")

    def has_permission(self, request) -> bool:
        user = request.user
        if not user.is_active:
            return False
        return user.is_staff or user.is_superuser or bool(user.get_all_permissions())


class DecrocheAdminConfig(AdminConfig):
    default_site = "decroche.core.admin_site.DecrocheAdminSite"
