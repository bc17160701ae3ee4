"""The embedded default's worker and beat, for ``make run`` without a broker.

With no ``CELERY_BROKER_URL`` Celery runs a task in the caller's process. That is what
the tests want (a task's effect and its errors are there when the call returns), but a
person who starts a dispatch run from a page would wait for the whole solve. So, when
``settings.EMBEDDED_WORKER`` is on (the development settings), background work goes to
one thread of this process instead, the request answers at once and the page polls the
run's progress, as with a real worker. ``EMBEDDED_BEAT`` adds Celery beat's schedule to
the same process (the SLA sweep, the sweepers, the nightly jobs), so the manager's inbox
fills as it does in production.

Work sent while ``inline()`` is active runs at once in the caller, with or without a broker
(the demo seeder uses it: the command must finish its plan before it exits, and no worker
need be listening).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait

from celery import current_app
from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_state = threading.local()
_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_beat: threading.Thread | None = None
_pending: set[Future] = set()
BEAT_TICK_SECONDS = 15.0


def running_inline() -> bool:
    """Whether work sent now runs at once in the caller (``inline()``, or on the worker
    thread itself), whatever the broker."""
    return bool(getattr(_state, "inline", False))


def active() -> bool:
    """Whether work is handed to the embedded worker now (not inline, not a real broker)."""
    return bool(getattr(settings, "EMBEDDED_WORKER", False)) and not running_inline()


@contextlib.contextmanager
def inline():
    """Run background work in the caller while the block lasts (a command that must wait)."""
    previous = getattr(_state, "inline", False)
    _state.inline = True
    try:
        yield
    finally:
        _state.inline = previous


def _run(name: str, args: tuple) -> None:
    # Each piece of work in this thread runs inline: a run's district solves follow it.
    _state.inline = True
    close_old_connections()
    try:
        _task(name).apply(args=args, throw=True)
    except Exception:
        logger.exception("embedded worker: %s%r failed", name, args)
    finally:
        connections.close_all()


def submit(task, *args) -> Future:
    """Hand ``task(*args)`` to the embedded worker thread."""
    global _executor
    with _lock:
        if _executor is None:
            # One thread: SQLite takes one writer at a time, and the solves of a run are
            # meant to follow one another on a developer's machine.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhifu-worker")
        future = _executor.submit(_run, task.name, tuple(args))
        _pending.add(future)
    future.add_done_callback(_pending.discard)
    return future


def _task(name: str):
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _due_entries() -> list[tuple[str, str, tuple, object]]:
    entries = []
    for key, entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).items():
        plan = entry["schedule"]
        if isinstance(plan, int | float | dt.timedelta):
            plan = every(run_every=plan if isinstance(plan, dt.timedelta)
                         else dt.timedelta(seconds=plan))
        entries.append((key, entry["task"], tuple(entry.get("args", ())), plan))
    return entries


def _beat_loop(stop: threading.Event) -> None:
    last_run: dict[str, dt.datetime] = {}
    entries = _due_entries()
    while not stop.is_set():
        now = current_app.now()
        for key, name, args, plan in entries:
            # Interval work runs once at start (the sweep fills the inbox right away); a
            # crontab entry waits for its time.
            if key not in last_run:
                last_run[key] = now - plan.run_every if isinstance(plan, every) else now
            due, _next = plan.is_due(last_run[key])
            if due:
                last_run[key] = now
                submit(_task(name), *args)
        stop.wait(BEAT_TICK_SECONDS)


def serving(argv: list[str], environ) -> bool:
    """Whether this process is the one ``runserver`` serves from (not the autoreloader's
    watcher, not another command)."""
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def start_beat() -> threading.Event | None:
    """Start the embedded beat once per process; returns its stop event."""
    global _beat
    with _lock:
        if _beat is not None:
            return None
        stop = threading.Event()
        _beat = threading.Thread(target=_beat_loop, args=(stop,), name="zhifu-beat",
                                 daemon=True)
        _beat.start()
    logger.info("embedded beat started (%s entries)", len(_due_entries()))
    return stop


def wait_idle(timeout: float = 30.0) -> bool:
    """Block until the embedded worker has nothing left to do (tests, a command)."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            pending = set(_pending)
        remaining = deadline - time.monotonic()
        if not pending:
            return True
        if remaining <= 0:
            return False
        wait(pending, timeout=remaining)
