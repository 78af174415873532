"""Reads of the core app: the audit trail, filtered for the CSO (SPEC §9 access history)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry


def audit_entries(
    *,
    action: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first; `action` matches a prefix (`accounts.login` finds both outcomes);
    dates are days in Paris time, both ends included."""
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__startswith=action)
    if username:
        entries = entries.filter(username__icontains=username)
    if date_from:
        entries = entries.filter(at__gte=_start_of_day(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of_day(date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
