"""A developer's machine (``make run``, ``manage.py`` by default): the base settings with
``DEBUG`` on. ``DJANGO_DEBUG=0`` still turns it off here."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=True)
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", default=DEBUG)
