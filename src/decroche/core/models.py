"""The audit trail: one entry per business action (STYLE habit 6, SPEC §9 access history).

The trail is append-only and tamper-evident (issue 12 §4): every entry carries a sequence
number and a keyed chain hash (`core.chain`), appends are serialised by the one-row
`AuditChainHead`, and `AuditCheckpoint` keeps the link to the entries a retention purge
removed. Neither the application nor the admin can change or delete an entry."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised by any attempt to change or delete an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet):
    """No bulk writes: they would skip the chain or rewrite it."""

    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: entries are never updated.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only: only `audit-purge` removes entries.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are written one by one by `log_action`.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: entries are never updated.")


class AuditEntry(models.Model):
    """Who did what, when, with which (masked) data. Kept at least one year (SPEC §9)."""

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    # PROTECT: setting the column to NULL when an account goes would alter a chained entry.
    # Accounts are closed, not deleted (SPEC §9); one whose entries were purged may go.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(
        _("username"), max_length=150, blank=True, help_text=_("Kept if the account is deleted.")
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    chain_hash = models.CharField(_("chain hash"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only: entries are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only: only `audit-purge` removes entries.")


class AuditChainHead(models.Model):
    """The one row (pk 1) naming the last entry of the chain. Appends lock it
    (`select_for_update`) so that two writers never take the same sequence number."""

    sequence = models.PositiveBigIntegerField(default=0)
    chain_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.sequence} {self.chain_hash[:12]}"


class AuditCheckpoint(models.Model):
    """Written by each retention purge: the sequence and chain hash of the last entry it
    removed, from which the remaining chain is verified."""

    sequence = models.PositiveBigIntegerField(unique=True)
    chain_hash = models.CharField(max_length=64)
    purged_at = models.DateTimeField(default=timezone.now)
    entries_purged = models.PositiveIntegerField()
    before = models.DateTimeField(help_text=_("Entries older than this were purged."))

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit purge checkpoint")

    def __str__(self) -> str:
        return f"{self.sequence} {self.chain_hash[:12]}"
