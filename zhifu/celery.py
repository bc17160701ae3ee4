"""The Celery app, configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifu.settings.base")

app = Celery("zhifu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**_kwargs) -> None:
    """Workers and beat log through Django's LOGGING (with its masking filter) instead of
    the handlers Celery would install on the root logger."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
