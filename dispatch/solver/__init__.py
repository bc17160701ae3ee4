"""Route optimisation for field specialists (pure Python, no Django).

from dispatch.solver import Problem, Task, Specialist, solve, MaxSeconds
result = solve(problem, stop=MaxSeconds(30), seed=1)
"""

from .api import solve
from .checker import CheckReport, Violation, check
from .finalize import finalize
from .params import Params
from .problem import Problem, Specialist, Task
from .result import CostBreakdown, Result, RouteResult, Unserved, Visit
from .stop import (
    AllOf,
    AnyOf,
    MaxGenerations,
    MaxSeconds,
    NoImprovement,
    SearchState,
    StopCriterion,
)
from .travel import CoordinateTravel

__all__ = [
    "solve",
    "finalize",
    "check",
    "CheckReport",
    "Violation",
    "Params",
    "Problem",
    "Specialist",
    "Task",
    "CostBreakdown",
    "Result",
    "RouteResult",
    "Unserved",
    "Visit",
    "AllOf",
    "AnyOf",
    "MaxGenerations",
    "MaxSeconds",
    "NoImprovement",
    "SearchState",
    "StopCriterion",
    "CoordinateTravel",
]
