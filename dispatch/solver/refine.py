"""Final refinement: OR-Tools GLS seeded with the GA's best routes.

The GA result is loaded as OR-Tools' initial assignment
(``ReadAssignmentFromRoutes``) and improved by guided local search for the
remaining budget. The refined plan is only kept if it is hard-feasible
and cheaper under *our* exact cost (OR-Tools does not see imbalance or
the cross-district term, and works on rounded integers). With a
deterministic (generation-based) stop the refinement is bounded by a
solution count instead of the clock, so it stays reproducible.
"""

from __future__ import annotations

from .baselines.ortools_routing import solve_ortools
from .eligibility import Eligibility
from .ga.model import SearchModel, exact_cost
from .params import Params
from .problem import Problem


def refine(
    problem: Problem,
    params: Params,
    elig: Eligibility,
    model: SearchModel,
    routes: list,
    unserved: list,
    seconds: float,
    deterministic: bool,
) -> tuple[list, list, bool]:
    """Returns (routes, unserved, improved)."""
    if seconds <= 0.05:
        return routes, unserved, False
    limit: int | None = params.refine_solution_limit if deterministic else None
    secs = max(seconds, 60.0) if deterministic else seconds
    new_routes, new_un = solve_ortools(
        problem, params, secs, initial_routes=routes, solution_limit=limit, elig=elig
    )
    if new_un is None:
        return routes, unserved, False
    old_c, old_ok = exact_cost(model, routes, unserved)
    new_c, new_ok = exact_cost(model, new_routes, new_un)
    if new_ok and (new_c < old_c - 1e-7 or not old_ok):
        return new_routes, new_un, True
    return routes, unserved, False
