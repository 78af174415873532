"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from decroche.core.admin_site import ADMINISTRATOR_ROLE, is_administrator

from .models import User
from .roles import ROLES_BY_CODE


def role_labels(user: User) -> list[str]:
    """Human labels of the user's roles, in the order of accounts.roles."""
    return [
        str(ROLES_BY_CODE[group.name].label)
        for group in user.groups.all()
        if group.name in ROLES_BY_CODE
    ]


def users_visible_to(user) -> QuerySet[User]:
    """Accounts `user` may see and manage: every account for an administrator; the CSO
    manages people, not the administrators above them (SPEC §9)."""
    from django.contrib.auth.models import Group

    users = User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    ).order_by("last_name", "first_name", "username")
    if is_administrator(user):
        return users
    return users.exclude(is_superuser=True).exclude(groups__name=ADMINISTRATOR_ROLE)
