"""A developer's machine (``make run``, ``manage.py`` by default): the base settings with
``DEBUG`` on. ``DJANGO_DEBUG=0`` still turns it off here."""

from .base import *  # noqa: F403
from .base import _BROKER, env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=True)
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", default=DEBUG)
# No broker: background work runs on a thread of the server, never in the request, and
# beat's schedule runs there too (the SLA sweep fills the managers' inbox).
EMBEDDED_WORKER = env_bool("ZHIFU_EMBEDDED_WORKER", default=not _BROKER)
EMBEDDED_BEAT = env_bool("ZHIFU_EMBEDDED_BEAT", default=EMBEDDED_WORKER)
