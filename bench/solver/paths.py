"""Where the shared benchmark data lives (``../shared/bench`` from the repo root by default)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    env = os.environ.get("SOLVER_BENCH_DATA")
    return Path(env) if env else (REPO_ROOT.parent / "shared" / "bench")
