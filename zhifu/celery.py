"""The Celery app, configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import setup_logging

from zhifu.core import tracing

# A worker or manage.py started by hand is a developer's: development settings unless
# DJANGO_SETTINGS_MODULE says otherwise. The package imports this module before anything
# else runs, so zhifu/wsgi.py reads this flag to default gunicorn to production instead.
SETTINGS_DEFAULTED = "DJANGO_SETTINGS_MODULE" not in os.environ
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifu.settings.development")

app = Celery("zhifu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
tracing.connect()


@setup_logging.connect
def use_django_logging(**_kwargs) -> None:
    """Workers and beat log through Django's LOGGING (with its masking filter) instead of
    the handlers Celery would install on the root logger."""
    # Imported here: this module loads before Django's settings are configured.
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
