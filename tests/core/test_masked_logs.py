"""Phone and ID numbers never reach a log whole: gunicorn's access log and the Celery
worker's and beat's logs go through the same masking filter as Django's."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest

from zhifu.core.logging import MaskPersonalDataFilter


@pytest.fixture(autouse=True)
def _restore_logging():
    yield
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def _captured(logger_name: str, config: dict, message: str, args) -> str:
    logging.config.dictConfig(config)
    logger = logging.getLogger(logger_name)
    stream = io.StringIO()
    for handler in logger.handlers or logging.getLogger().handlers:
        handler.stream = stream
    logger.info(message, args)
    return stream.getvalue()


def test_the_gunicorn_access_log_masks_numbers_in_query_strings():
    from zhifu import gunicorn_conf

    # Gunicorn logs the access line as a format string with a dict of atoms.
    line = _captured("gunicorn.access", gunicorn_conf.logconfig_dict,
                     '%(h)s "%(r)s" %(s)s',
                     {"h": "10.0.0.1", "r": "GET /api/v1/retailers/?phone=13812345678&id="
                                             "440508199001011234 HTTP/1.1", "s": "200"})
    assert "13812345678" not in line and "138****5678" in line
    assert "440508199001011234" not in line


def test_the_celery_worker_keeps_djangos_masking_filter(settings):
    from celery.signals import setup_logging

    from zhifu.celery import use_django_logging

    # Connected: Celery then leaves the root logger to us instead of hijacking it.
    assert use_django_logging in [r[1]() for r in setup_logging.receivers]
    use_django_logging()
    root = logging.getLogger()
    assert root.handlers
    assert all(any(isinstance(f, MaskPersonalDataFilter) for f in h.filters)
               for h in root.handlers)
    stream = io.StringIO()
    root.handlers[0].stream = stream
    logging.getLogger("celery.app.trace").warning("task for 13812345678 failed")
    assert "138****5678" in stream.getvalue() and "13812345678" not in stream.getvalue()


def test_a_refusal_is_one_line_and_a_real_error_keeps_its_traceback(db):
    """A 403 is the product answering as it should: no traceback in the log (it once wrote
    one for every refused page); a 500 keeps its traceback."""
    from django.conf import settings
    from django.test import Client

    from tests import factories

    logging.config.dictConfig(settings.LOGGING)
    stream = io.StringIO()
    for handler in logging.getLogger().handlers:
        handler.stream = stream
    shop = factories.retailer(factories.district("D1", "一片区", 23.3, 116.7))
    client = Client()
    client.force_login(shop.user)
    assert client.get("/dashboard/").status_code == 403
    refused = stream.getvalue()
    assert "Forbidden" in refused and "Traceback" not in refused
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error: /x/", exc_info=True,
                                                  extra={"status_code": 500})
    assert "Traceback" in stream.getvalue()[len(refused):]
