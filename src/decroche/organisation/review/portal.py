"""The support portal's user list (SPEC §9: the portal sends its one-time passwords by
e-mail, so the contractor provides the list of users — last name, first name, unique
e-mail — and keeps it current: new users, leavers). Exported as CSV or XLSX through the
project's export mechanism (`core.exports`); each export is recorded, so that the next
one can give only the accounts added and removed since.

Who is on the list: active accounts of the people who handle or supervise contacts
(linked to an advisor of the roster, or holding the advisor or team-leader role),
except while their rights are suspended for a long absence.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.accounts.models import User
from decroche.core import downloads, exports
from decroche.core.services import log_action

from ..models import PortalUserExport, RightsSuspension

PORTAL_ROLES = ("advisor", "team_leader")
FORMATS = ("csv", "xlsx")
ADDED, REMOVED = "added", "removed"


def portal_users() -> QuerySet[User]:
    """The accounts the support portal must know today (rules in the module docstring)."""
    suspended = RightsSuspension.objects.filter(restored_at=None).values("user_id")
    return (
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(advisor__isnull=False) | Q(groups__name__in=PORTAL_ROLES))
        .exclude(pk__in=suspended)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def portal_export_last() -> PortalUserExport | None:
    return PortalUserExport.objects.order_by("-created_at", "-pk").first()


def _section(*, current: list[User], added: set[int], removed: list[User], since_last: bool):
    labels = {ADDED: _("added"), REMOVED: _("removed")}
    rows = [
        [
            account.last_name,
            account.first_name,
            account.email,
            labels[ADDED] if account.pk in added else "",
        ]
        for account in current
        if not since_last or account.pk in added
    ]
    rows += [
        [account.last_name, account.first_name, account.email, labels[REMOVED]]
        for account in removed
    ]
    return exports.Section(
        title=_("Support portal users"),
        headers=(_("Last name"), _("First name"), _("E-mail"), _("Change since the last export")),
        rows=rows,
        widths=(24, 24, 40, 22),
    )


@transaction.atomic
def portal_users_export(*, user=None, since_last: bool = False, file_format: str = "csv"):
    """Build the list and record the export; returns (content, file name, content type,
    the `PortalUserExport`). `since_last` keeps only the accounts added or removed since
    the previous export (all of them when there was none). Audited as
    `organisation.portal_users.exported` with counts only."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {file_format!r}")
    previous = portal_export_last()
    current = list(portal_users())
    current_ids = {account.pk for account in current}
    before = set(previous.user_ids) if previous else set()
    added = current_ids - before
    removed = list(
        User.objects.filter(pk__in=before - current_ids).order_by(
            "last_name", "first_name", "email"
        )
    )
    section = _section(current=current, added=added, removed=removed, since_last=since_last)
    record = PortalUserExport.objects.create(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        file_format=file_format,
        since_last=since_last,
        user_ids=sorted(current_ids),
        added=len(added),
        removed=len(removed),
    )
    log_action(
        "organisation.portal_users.exported",
        user=user,
        data={
            "export": record.pk,
            "format": file_format,
            "since_last": since_last,
            "previous": previous.pk if previous else None,
            "rows": len(section.rows),
            "added": len(added),
            "removed": len(removed),
        },
    )
    day = timezone.localdate()
    name = (
        f"portail-utilisateurs-{day:%Y-%m-%d}{'-changements' if since_last else ''}.{file_format}"
    )
    if file_format == "xlsx":
        return exports.sections_to_xlsx([section]), name, downloads.XLSX, record
    return exports.sections_to_csv([section]), name, downloads.CSV, record
