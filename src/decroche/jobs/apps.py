"""Background work with a progress bar (issue 12 point 8): long work leaves the request."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "decroche.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Each app's `jobs` module registers its runners (registry.register), in the web
        # process and in the worker alike.
        autodiscover_modules("jobs")
