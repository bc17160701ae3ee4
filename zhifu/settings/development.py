"""``make run`` (and ``manage.py`` by default): the base settings on one machine, with no
broker. ``DEBUG`` stays off, so a person trying the demo meets the product's own error pages
(``DJANGO_DEBUG=1`` turns Django's debug pages on for a developer); static files are served
from the source folders, as ``runserver`` would with ``DEBUG`` on."""

from .base import *  # noqa: F403
from .base import _BROKER, env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", default=True)
# No broker: background work runs on a thread of the server, never in the request, and
# beat's schedule runs there too (the SLA sweep fills the managers' inbox).
EMBEDDED_WORKER = env_bool("ZHIFU_EMBEDDED_WORKER", default=not _BROKER)
EMBEDDED_BEAT = env_bool("ZHIFU_EMBEDDED_BEAT", default=EMBEDDED_WORKER)
