from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhifu.accounts"
    label = "accounts"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        # Imported here: an app's modules load once the app registry is ready.
        from .api import schema  # noqa: F401 - registers the OpenAPI auth extension
