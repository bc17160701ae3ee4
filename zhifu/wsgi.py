"""WSGI entry point for gunicorn: production settings unless DJANGO_SETTINGS_MODULE is set."""

import os

from django.core.wsgi import get_wsgi_application

from zhifu.celery import SETTINGS_DEFAULTED

# Importing the package ran zhifu/celery.py, which fills in the development default when
# nothing was set; a WSGI server is production, so replace only that default.
if SETTINGS_DEFAULTED:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifu.settings.production"
application = get_wsgi_application()
