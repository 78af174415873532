"""The library's vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateKind(models.TextChoices):
    REPLY = "reply", _("Reply template (contact form)")
    SCRIPT = "script", _("Call script")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
