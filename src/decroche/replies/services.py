"""Writes of the library: templates, versions written then approved, read receipts. Each
is one transaction and one audit entry (STYLE habit 6)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.services import log_action

from .choices import VersionStatus
from .models import ReplyTemplate, TemplateRead, TemplateVersion


class LibraryError(ValueError):
    """A library action refused; the message says why, in French."""


@transaction.atomic
def version_write(
    *, template: ReplyTemplate, body: str, change_note: str, valid_from: dt.date, user
) -> TemplateVersion:
    """A new draft version of `template` (the next number); approved ones stay as they are."""
    if not body.strip():
        raise LibraryError(_("The text of the template is empty."))
    last = template.versions.aggregate(last=Max("number"))["last"] or 0
    if last and not change_note.strip():
        raise LibraryError(_("Say what changed from the previous version."))
    version = TemplateVersion.objects.create(
        template=template,
        number=last + 1,
        body=body.strip(),
        change_note=change_note.strip(),
        valid_from=valid_from,
        written_by=user,
    )
    log_action(
        "replies.version.written",
        user=user,
        data={"template": template.code, "version": version.number},
    )
    return version


@transaction.atomic
def version_approve(version: TemplateVersion, *, user) -> TemplateVersion:
    """Approve a draft: from its validity date it replaces the approved version before it,
    whose validity ends the day before. Nobody approves their own text (four eyes)."""
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise LibraryError(_("This version is already approved: write a new one."))
    if version.written_by_id == user.pk:
        raise LibraryError(_("A version is approved by someone other than its author."))
    previous = (
        TemplateVersion.objects.filter(
            template=version.template_id, status=VersionStatus.APPROVED, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )
    if previous is not None:
        if version.valid_from <= previous.valid_from:
            raise LibraryError(_("A new version starts after the one it replaces."))
        previous.valid_to = version.valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    version.status = VersionStatus.APPROVED
    version.approved_by = user
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    log_action(
        "replies.version.approved",
        user=user,
        data={"template": version.template.code, "version": version.number},
    )
    return version


def version_read(version: TemplateVersion, *, user) -> None:
    """Record that `user` read this version (once; the first time is kept)."""
    TemplateRead.objects.get_or_create(
        user=user, version=version, defaults={"read_at": timezone.now()}
    )
