from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepliesConfig(AppConfig):
    name = "decroche.replies"
    verbose_name = _("Reply templates and scripts")
