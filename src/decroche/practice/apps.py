from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "decroche.practice"
    verbose_name = _("Practice")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from .judges import judge_setting_check

        checks.register(judge_setting_check)

        post_migrate.connect(
            _load_scenarios, sender=self, dispatch_uid="decroche.practice.load_scenarios"
        )


def _load_scenarios(sender, using="default", **kwargs) -> None:
    """Every migrated database holds the shipped French scenarios (issue 15 §3) and the
    certification framework (issue 15 §4)."""
    from .services import framework_load, scenarios_load_shipped

    scenarios_load_shipped()
    framework_load()
