"""Rejection reasons in French, and how an import's results are shown (issue 18.6).

The import's pure modules state reasons in English (they run without Django); the
rejects writer counts them by their key (`core.tabular.rejects.reason_key`, the reason
without its values). Here each key has its French label, and a batch's results page gets
its alert level: warning as soon as a row is rejected, error when most rows are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from decroche.core.tabular.rejects import reason_key

REASON_LABELS = {
    "missing value": _("missing value"),
    "required value missing": _("missing value"),
    "not an ISO 8601 date and time": _("not an ISO 8601 date and time"),
    "date out of the plausible range": _("date out of the plausible range (1970 to 2099)"),
    "not a number of seconds": _("not a number of seconds"),
    "negative duration": _("negative duration"),
    "negative wait": _("negative wait"),
    "negative talk time": _("negative talk time"),
    "negative wrap-up": _("negative wrap-up"),
    "negative state duration": _("negative state duration"),
    "implausible duration": _("duration longer than a day"),
    "implausible wait": _("wait longer than a day"),
    "implausible talk time": _("talk time longer than a day"),
    "implausible wrap-up": _("wrap-up longer than a day"),
    "implausible state duration": _("state longer than a day"),
    "not a yes/no value": _("not a yes/no value"),
    "unknown value": _("unknown value"),
    "longer than N characters": _("text too long"),
    "times in the wrong order": _("times in the wrong order (an end before its start)"),
    "missing for an answered call": _("missing for an answered call"),
    "given for a call whose outcome is": _("given for a call whose outcome excludes it"),
    "given for a call that ended in the IVR": _("given for a call that ended in the IVR"),
    "N for a call that ended in the IVR": _("impossible origin for a call that ended in the IVR"),
    "a call presented on a closure calendar is not put through to the group": _(
        "a call presented on a closure calendar is not put through to the group"
    ),
    "unknown site": _("unknown site"),
    "unknown reason": _("unknown contact reason"),
    "unknown advisor": _("unknown advisor"),
    "N values for N columns": _("number of values different from the number of columns"),
    "<unreadable CSV": _("unreadable CSV line"),
    "not a time of day": _("not a time of day"),
    "N fields, at least N expected": _("too few fields (at least 5 expected)"),
    "not a Unix time": _("not a Unix time"),
    "unknown queue_log event": _("unknown queue_log event"),
    "N without an ENTERQUEUE earlier in the file": _(
        "event without an ENTERQUEUE earlier in the file"
    ),
    "entered the same queue again before leaving it": _(
        "entered the same queue again before leaving it"
    ),
    "call still in progress at the end of the file": _(
        "call still in progress at the end of the file"
    ),
    "advisor state still open at the end of the file": _(
        "advisor state still open at the end of the file"
    ),
    "queue N has no site": _("queue without a site in the mapping"),
}


def reason_label(reason: str):
    """The French label of a reason (full text or key); the text itself when unknown."""
    key = reason if reason in REASON_LABELS else reason_key(reason)
    return REASON_LABELS.get(key, reason)


@dataclass(frozen=True)
class ReasonCount:
    field: str
    label: str
    count: int


@dataclass(frozen=True)
class RejectedLine:
    line: int
    field: str
    label: str
    detail: str  # the reason as the import stated it, with the value at fault
    raw: str  # masked (core.tabular.rejects)


@dataclass(frozen=True)
class ImportResults:
    """What the results page shows of a batch: alert level, counts by reason, sample."""

    level: str  # "success" | "warning" | "error" (DSFR alert classes)
    by_reason: list[ReasonCount]
    sample: list[RejectedLine]


def import_results(batch) -> ImportResults:
    rejections = batch.rejections or {}
    if batch.error or (batch.rows and batch.rejected * 2 > batch.rows):
        level = "error"
    elif batch.rejected:
        level = "warning"
    else:
        level = "success"
    return ImportResults(
        level=level,
        by_reason=[
            ReasonCount(item["field"], str(reason_label(item["reason"])), item["count"])
            for item in rejections.get("by_reason", [])
        ],
        sample=[
            RejectedLine(
                item["line"],
                item["field"],
                str(reason_label(item["reason"])),
                item["reason"],
                item["raw"],
            )
            for item in rejections.get("sample", [])
        ],
    )
