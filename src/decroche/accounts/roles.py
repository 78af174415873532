"""Roles as groups with named permissions — the one place that says who may do what
(STYLE habit 5; SPEC §9). Groups are kept in sync after every migration."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    permissions: tuple[str, ...]
    description: str = ""


_READ_CONTACTS = (
    "contacts.view_call",
    "contacts.view_contactform",
    "contacts.view_frontdeskvisit",
    "contacts.view_email",
    "contacts.view_chat",
    "contacts.view_advisorstate",
    "contacts.view_importbatch",
)
_READ_ORGANISATION = (
    "organisation.view_site",
    "organisation.view_team",
    "organisation.view_advisor",
    "organisation.view_channel",
    "organisation.view_contactreason",
    "organisation.view_openinghours",
    "organisation.view_closurecalendar",
    "organisation.view_exceptionalclosure",
)
_EDIT_ORGANISATION = (
    "organisation.add_advisor",
    "organisation.change_advisor",
    "organisation.add_team",
    "organisation.change_team",
    "organisation.add_contactreason",
    "organisation.change_contactreason",
    "organisation.add_closurecalendar",
    "organisation.change_closurecalendar",
    "organisation.add_exceptionalclosure",
    "organisation.change_exceptionalclosure",
    "organisation.change_openinghours",
)
_MANAGE_ACCOUNTS = (
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "core.view_auditentry",
)

ROLES: tuple[Role, ...] = (
    Role("advisor", _("Conseiller"), ("organisation.view_contactreason",), _("Consulte ses propres résultats.")),
    Role(
        "team_leader",
        _("Responsable d'équipe"),
        _READ_CONTACTS + _READ_ORGANISATION + ("contacts.import_contacts",),
        _("Pilote son équipe, importe les exports de la téléphonie."),
    ),
    Role(
        "site_manager",
        _("Responsable de site"),
        _READ_CONTACTS + _READ_ORGANISATION + _EDIT_ORGANISATION + ("contacts.import_contacts",),
        _("Pilote son site et tient ses données de référence."),
    ),
    Role(
        "workforce_planner",
        _("Planificateur"),
        _READ_CONTACTS + _READ_ORGANISATION + ("contacts.import_contacts",),
        _("Prévoit, dimensionne et planifie."),
    ),
    Role(
        "quality_analyst",
        _("Analyste qualité"),
        _READ_CONTACTS + _READ_ORGANISATION,
        _("Évalue et calibre la qualité."),
    ),
    Role("trainer", _("Formateur"), _READ_ORGANISATION, _("Organise les formations.")),
    Role(
        "security_officer",
        _("Correspondant sécurité (CSO)"),
        _READ_ORGANISATION + _MANAGE_ACCOUNTS,
        _("Gère les comptes nominatifs et l'historique des accès."),
    ),
    Role(
        "client_auditor",
        _("Auditeur client (lecture seule)"),
        _READ_CONTACTS + _READ_ORGANISATION,
        _("Consulte sans rien modifier."),
    ),
    Role("administrator", _("Administrateur"), ("*",), _("Administre l'application.")),
)
ROLES_BY_CODE = {role.code: role for role in ROLES}


def sync_roles() -> None:
    """Create or update one group per role with exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    all_permissions = Permission.objects.select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_permissions}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.code)
        if role.permissions == ("*",):
            wanted = list(by_name.values())
        else:
            missing = [name for name in role.permissions if name not in by_name]
            if missing:
                raise LookupError(f"Role {role.code} names unknown permissions: {missing}")
            wanted = [by_name[name] for name in role.permissions]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """post_migrate hook: permissions of every app exist once the last app has migrated."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    last_app = list(apps.get_app_configs())[-1]
    if app_config is None or app_config.label != last_app.label:
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_roles()
