"""Reads of the library: the version in force on a day, and what changed for a reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .choices import VersionStatus
from .models import ReplyTemplate, TemplateRead, TemplateVersion


def version_in_force(template: ReplyTemplate, day: dt.date) -> TemplateVersion | None:
    """The approved version valid on `day`."""
    return (
        TemplateVersion.objects.filter(
            template=template, status=VersionStatus.APPROVED, valid_from__lte=day
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-number")
        .first()
    )


def versions_in_force_for_reason(reason_id: int, kind: str, day: dt.date) -> list[TemplateVersion]:
    """The approved templates of one kind in force on `day` for a contact reason (the form
    grid's "right template used" item is checked against these, SPEC §1)."""
    return [
        version
        for template in ReplyTemplate.objects.filter(reason_id=reason_id, kind=kind)
        if (version := version_in_force(template, day)) is not None
    ]


@dataclass(frozen=True)
class LibraryLine:
    template: ReplyTemplate
    current: TemplateVersion | None
    last_read: int | None  # the highest version number the reader has read
    changes: list[TemplateVersion]  # approved versions after the one last read, newest first

    @property
    def unread(self) -> bool:
        return self.current is not None and (self.last_read or 0) < self.current.number


def library_for(user, *, day: dt.date) -> list[LibraryLine]:
    """Every template with its version in force and what changed since `user` last read it."""
    read = {}
    for template_id, number in TemplateRead.objects.filter(user=user).values_list(
        "version__template_id", "version__number"
    ):
        read[template_id] = max(number, read.get(template_id, 0))
    lines = []
    for template in ReplyTemplate.objects.select_related("reason"):
        current = version_in_force(template, day)
        last = read.get(template.pk)
        changes = []
        if current is not None:
            changes = list(
                template.versions.filter(
                    status=VersionStatus.APPROVED, number__gt=last or 0, number__lte=current.number
                ).order_by("-number")
            )
        lines.append(LibraryLine(template, current, last, changes if last else []))
    return lines
