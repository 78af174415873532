"""Reply templates and call scripts, versioned: an approved version never changes; a new
version, with its "what changed" note, replaces it from its validity date."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from decroche.organisation.models import ContactReason

from .choices import TemplateKind, VersionStatus


class ReplyTemplate(models.Model):
    """One template or script of the library, for one contact reason."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=TemplateKind.choices)
    reason = models.ForeignKey(
        ContactReason,
        on_delete=models.PROTECT,
        related_name="reply_templates",
        verbose_name=_("contact reason"),
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["reason__label", "kind", "title"]
        verbose_name = _("reply template or script")
        verbose_name_plural = _("reply templates and scripts")
        permissions = [("approve_replytemplate", _("Can approve a version of a template"))]

    def __str__(self) -> str:
        return self.title


class TemplateVersion(models.Model):
    template = models.ForeignKey(ReplyTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    body = models.TextField(_("text"))
    change_note = models.TextField(_("what changed"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="replies_version_number")
        ]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class TemplateRead(models.Model):
    """Who read which version, and when: what changed since is shown to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="replies_read_once")
        ]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")

    def __str__(self) -> str:
        return f"{self.user_id} {self.version}"
