"""Gunicorn's settings (``gunicorn -c python:zhifu.gunicorn_conf zhifu.wsgi``).

Its access log writes each request line, query string included, so it goes through the
same masking filter as Django's logs: a phone or ID number in a URL is never written whole.
Each access line ends with the request's id (the response's ``X-Request-ID``), and
``LOG_FORMAT=json`` makes these lines JSON like the application's.
"""

import os

from zhifu.core.logging import logging_config

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
errorlog = "-"
access_log_format = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
                     "%({x-request-id}o)s")

logconfig_dict = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    log_format=os.environ.get("LOG_FORMAT", "plain"),
    plain_format="%(asctime)s [%(process)d] %(levelname)s %(name)s [%(request_id)s] "
                 "%(message)s")
logconfig_dict["handlers"]["console"]["stream"] = "ext://sys.stdout"
logconfig_dict["loggers"] = {
    "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
}
