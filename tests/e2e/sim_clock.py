"""A clock for a simulated field day: the server's ``timezone.now()`` reads the moment
written in the file named by ``ZHIFU_SIM_CLOCK`` and runs on at real speed from the
instant the file was written. Without the file it is the real clock.

Test harness only: ``tests/e2e/sim_settings.py`` installs it in the live server and in
the commands the simulation runs (the evening job, the checks).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from django.utils import timezone

_real_now = timezone.now
_cache: dict = {}


def _read(path: Path) -> tuple[float, dt.datetime] | None:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    if _cache.get("stamp") != stamp:
        text = path.read_text(encoding="utf-8").strip()
        _cache.update(stamp=stamp, moment=dt.datetime.fromisoformat(text))
    return stamp, _cache["moment"]


def simulated_now() -> dt.datetime:
    path = os.environ.get("ZHIFU_SIM_CLOCK")
    found = _read(Path(path)) if path else None
    if found is None:
        return _real_now()
    stamp, moment = found
    return (moment + dt.timedelta(seconds=max(0.0, time.time() - stamp))).astimezone(
        dt.UTC)


def install() -> None:
    timezone.now = simulated_now


def set_clock(path: Path, moment: dt.datetime) -> None:
    """Move the simulation's clock to ``moment`` (an aware datetime)."""
    if moment.tzinfo is None:
        raise ValueError("the simulated moment needs its time zone")
    path.write_text(moment.isoformat(), encoding="utf-8")
