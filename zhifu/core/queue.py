"""Sending work to Celery without losing it when the broker is down.

Every background job has a row (``JobRun``, ``DispatchRun``) written in the same
transaction that asks for it. ``enqueue`` sends the message after commit; if the broker
cannot be reached the row simply stays queued and the beat sweeper sends it again once
the broker is back. Errors of the task itself are not caught (in process they
propagate, as tests expect).
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

from . import embedded

logger = logging.getLogger(__name__)


def task_named(name: str):
    """The Celery task registered as ``name``. Services name their task instead of
    importing its module (no service depends on a tasks module); the first call in a
    process loads the apps' task modules, as a worker does when it starts."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue(task, *args) -> bool:
    """Send ``task(*args)``; ``False`` (and a warning) when the broker is unreachable.
    Without a broker, ``make run`` hands it to the embedded worker thread instead."""
    if embedded.running_inline():
        task.apply(args=args, throw=True)
        return True
    if embedded.active():
        embedded.submit(task, *args)
        return True
    try:
        task.delay(*args)
    except OperationalError as exc:
        logger.warning("broker unreachable, %s%r stays queued for the sweeper: %s",
                       task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Send ``task(*args)`` once the current transaction commits; work asked for inline
    (``embedded.inline()``) still runs inline then, however late the commit comes."""
    inline = embedded.running_inline()

    def send() -> None:
        if inline:
            with embedded.inline():
                enqueue(task, *args)
        else:
            enqueue(task, *args)

    transaction.on_commit(send)
