"""When the daily summary may be read (SPEC §3): the digest of the reference tables its
grain keys go through, and the measure every summary holds.

Contacts need no fingerprint: every change marks its days dirty (`triggers.py`) and the
read recomputes them first (`summary_write.refresh_dirty_days`). Sites, teams, reasons
and advisors are another matter: an advisor moving team changes the team of all their
contacts, on every day; the summary records the digest of those tables and is not read
(the contact tables are) once it differs, until the next whole refresh.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from decroche.organisation.models import Advisor, ContactReason, Site, Team

from ..bindings import SourceBinding
from ..formula import Measure

# The format of the fingerprint: a summary written by an older version (whose fingerprint
# was the table's highest primary key) is not read until refreshed whole.
VERSION = "dirty-days-1"


def fingerprint(binding: SourceBinding) -> str:
    """The source's table and the digest of the reference tables (an advisor moving to
    another team, a reason's code edited)."""
    return f"{VERSION}:{binding.model._meta.label_lower}:{reference_digest()}"


_reading: ContextVar[dict | None] = ContextVar("summary_reading", default=None)


@contextmanager
def one_reading():
    """Inside, `reference_digest` is computed once (a report reads several sources)."""
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def reference_digest() -> str:
    cache = _reading.get()
    if cache is not None and "digest" in cache:
        return cache["digest"]
    digest = hashlib.sha256()
    for rows in (
        Site.objects.order_by("pk").values_list("pk", "code"),
        Team.objects.order_by("pk").values_list("pk", "code", "site_id"),
        ContactReason.objects.order_by("pk").values_list("pk", "code"),
        Advisor.objects.order_by("pk").values_list("pk", "login", "site_id", "team_id"),
    ):
        digest.update(repr(list(rows)).encode())
    value = digest.hexdigest()[:16]
    if cache is not None:
        cache["digest"] = value
    return value


def presence_measure(source: str) -> Measure:
    """`count(source)`: always stored, it tells which keys have records (or an open stock)."""
    return Measure("count", source, None, None)
