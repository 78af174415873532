from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "decroche.quality"
    verbose_name = _("Quality")
