from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("Intelligent dispatch")

    def ready(self) -> None:
        # Imported here: an app's modules load once the app registry is ready.
        from zhifu.core.retention import register_shop_history_redactor

        from .retention import redact_shop_history

        register_shop_history_redactor(redact_shop_history)

        from demands.services import on_demand_withdrawn

        from .services.changes import task_withdraw_for_demand

        on_demand_withdrawn(task_withdraw_for_demand)

        from zhifu.core.media import register_media

        from .selectors import task_photo_visible

        register_media("task-photos", task_photo_visible)
