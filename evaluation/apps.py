from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation and incentives")

    def ready(self) -> None:
        # Imported here: an app's modules load once the app registry is ready.
        from zhifu.core.retention import register_shop_history_redactor

        from .retention import redact_shop_history

        register_shop_history_redactor(redact_shop_history)
