from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Unit(models.TextChoices):
    RATE = "rate", _("Rate")
    SECONDS = "seconds", _("Duration (s)")
    COUNT = "count", _("Count")
    SCORE = "score", _("Score /100")


class Category(models.TextChoices):
    PHONE = "phone", _("Phone")
    FORMS = "forms", _("Contact forms")
    QUALITY = "quality", _("Quality")
    TRAINING = "training", _("Training")
    SATISFACTION = "satisfaction", _("Satisfaction")
    RESOURCES = "resources", _("Resources")
    CONTINUITY = "continuity", _("Service continuity")
