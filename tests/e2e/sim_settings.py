"""Settings of the simulated field day's server: ``make run``'s shape (SQLite, the
embedded worker answering runs in the background) on the simulation's clock, with short
re-plans and no beat (the simulation fires the evening job itself)."""

from tests.e2e import sim_clock
from zhifu.settings.development import *  # noqa: F403

EMBEDDED_WORKER = True
EMBEDDED_BEAT = False
DISPATCH_REPLAN_SECONDS = 1.0
DISPATCH_REINFORCEMENT_SECONDS = 1.0
# Dozens of runs in a simulated hour: the per-manager hourly limit is for people.
DISPATCH_RUNS_PER_HOUR = 10_000

sim_clock.install()
