"""Sending work to Celery without losing it when the broker is down.

Every background job has a row (``JobRun``, ``DispatchRun``) written in the same
transaction that asks for it. ``enqueue`` sends the message after commit; if the broker
cannot be reached the row simply stays queued and the beat sweeper sends it again once
the broker is back. Errors of the task itself are not caught (in process they
propagate, as tests expect).
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send ``task(*args)``; ``False`` (and a warning) when the broker is unreachable."""
    try:
        task.delay(*args)
    except OperationalError as exc:
        logger.warning("broker unreachable, %s%r stays queued for the sweeper: %s",
                       task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))
