from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Demand management")

    def ready(self) -> None:
        # Imported here: an app's modules load once the app registry is ready.
        from zhifu.core.retention import register_shop_history_redactor

        from .retention import redact_shop_history

        register_shop_history_redactor(redact_shop_history)

        from zhifu.core.media import register_media

        from .selectors import demand_photo_visible

        register_media("demands", demand_photo_visible)
