"""User accounts in the admin: nominative only, roles as groups (SPEC §9).

The admin is the administrator's alone (core.admin_site); the CSO manages accounts on the
DSFR pages (accounts.views). The rules below stay as a second line of defence.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from decroche.core.admin_site import ADMINISTRATOR_ROLE, is_administrator
from decroche.core.services import log_action

from .forms import NominativeUserChangeForm, NominativeUserCreationForm
from .models import User


@admin.register(User)
class NominativeUserAdmin(UserAdmin):
    form = NominativeUserChangeForm
    add_form = NominativeUserCreationForm
    list_display = [
        "username",
        "last_name",
        "first_name",
        "email",
        "is_active",
        "must_change_password",
        "last_login",
    ]
    list_filter = ["is_active", "must_change_password", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["last_name", "first_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["is_active", "must_change_password", "groups"]}),
        (_("Administration"), {"fields": ["is_staff", "is_superuser", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "password1",
                    "password2",
                    "groups",
                ],
            },
        )
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not is_administrator(request.user):
            readonly += ["is_staff", "is_superuser", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not is_administrator(request.user):
            kwargs["queryset"] = Group.objects.exclude(name=ADMINISTRATOR_ROLE)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_administrator(request.user):
            # The CSO manages people, not the administrators above them.
            queryset = queryset.exclude(is_superuser=True).exclude(groups__name=ADMINISTRATOR_ROLE)
        return queryset

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            # Temporary credentials handed over: changed at first login (SPEC §9).
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        action = "accounts.user.changed" if change else "accounts.user.created"
        log_action(
            action,
            user=request.user,
            data={"username": obj.username, "fields": sorted(form.changed_data)},
        )
