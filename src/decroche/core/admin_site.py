"""The Django admin, kept for the administrator role alone (issue 18 point 10).

Every other role works on the DSFR pages (reference data in `organisation`, accounts in
`accounts`, contract settings in `contract`): the stock admin is not accessible (3
critical and 37 serious axe-core violations) and does not apply each role's scope on its
own. A signed-in person without the administrator role is refused with the French 403
page rather than sent to the admin's sign-in form (SPEC §9: access rights by need).
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

ADMINISTRATOR_ROLE = "administrator"  # accounts.roles: the one role with every permission


def is_administrator(user) -> bool:
    """Superusers and members of the administrator role (group)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR_ROLE).exists()


class DecrocheAdminSite(admin.AdminSite):
    site_header = _("Décroché — administration")
    site_title = _("Décroché")
    index_title = _("Reference data and accounts")

    def has_permission(self, request) -> bool:
        return is_administrator(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def refuse_other_roles(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(refuse_other_roles, inner)


class DecrocheAdminConfig(AdminConfig):
    default_site = "decroche.core.admin_site.DecrocheAdminSite"
