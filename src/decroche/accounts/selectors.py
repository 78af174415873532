"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import User
from .roles import ROLES_BY_CODE


def users_for_security_officer(*, role: str = "", active: str = "") -> QuerySet[User]:
    """Every account with its roles and last login, for the CSO's review (SPEC §9)."""
    from django.contrib.auth.models import Group

    users = User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    )
    if role:
        users = users.filter(groups__name=role)
    if active == "yes":
        users = users.filter(is_active=True)
    elif active == "no":
        users = users.filter(is_active=False)
    return users.order_by("last_name", "first_name", "username")


def role_labels(user: User) -> list[str]:
    """Human labels of the user's roles, in the order of accounts.roles."""
    return [
        str(ROLES_BY_CODE[group.name].label)
        for group in user.groups.all()
        if group.name in ROLES_BY_CODE
    ]
