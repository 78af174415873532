"""The daily summary's tables: measure values per source, local day and finest grain key
(SPEC §3). Written by `services.refresh_summary`, read by `queries.summary`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryState(models.Model):
    """What the summary of one source holds, and the data it was computed from."""

    source = models.CharField(_("source"), max_length=32, unique=True)
    measures = models.JSONField(_("measures"), default=list)
    labels = models.JSONField(_("key values per column"), default=dict)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        app_label = "indicators"
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self) -> str:
        return f"{self.source} ({self.fingerprint})"


class DaySummary(models.Model):
    """One source on one local day: its finest keys and the measure values of each.

    `keys` holds int32 codes (rows × key columns) into the state's `labels`; `values`
    float64 values (rows × measures, the state's order): read with no parsing at all.
    """

    source = models.CharField(_("source"), max_length=32)
    day = models.DateField(_("day"))
    keys = models.BinaryField(_("key codes"))
    values = models.BinaryField(_("measure values"))

    class Meta:
        app_label = "indicators"
        verbose_name = _("day summary")
        verbose_name_plural = _("day summaries")
        constraints = [
            models.UniqueConstraint(fields=["source", "day"], name="day_summary_source_day")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"


class DirtyDay(models.Model):
    """A local day of a contact table changed since the summary last recomputed it.

    Written only by database triggers (`triggers.py`) on every insert, update and delete of
    a contact; read and cleared by `queries.summary_write.refresh_dirty_days`.
    """

    table = models.CharField(_("table"), max_length=64)
    day = models.DateField(_("day"))

    class Meta:
        app_label = "indicators"
        verbose_name = _("changed day")
        verbose_name_plural = _("changed days")
        constraints = [models.UniqueConstraint(fields=["table", "day"], name="dirty_day_table_day")]

    def __str__(self) -> str:
        return f"{self.table} {self.day}"
