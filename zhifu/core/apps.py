import os
import sys
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhifu.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Imported here: an app's modules load once the app registry is ready.
        from . import embedded, reporting

        prepare_local_folders()
        # Error reporting starts here, not in settings: importing settings has no effects.
        reporting.init_from_environment()
        if settings.EMBEDDED_BEAT and embedded.serving(sys.argv, os.environ):
            embedded.start_beat()


def prepare_local_folders() -> None:
    """The folders the settings point at, made once the apps load rather than when the
    settings are imported: the SQLite file's (so ``make run`` works on a fresh clone) and
    STATIC_ROOT (whitenoise warns on every start when it is missing)."""
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name and not (
            name == ":memory:" or name.startswith("file:")):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    if settings.STATIC_ROOT:
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
